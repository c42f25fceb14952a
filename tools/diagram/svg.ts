// A Diagram as a standalone SVG, laid out here (no browser, no Mermaid renderer in CI): columns by the
// longest path from a node without predecessors, rows in declaration order (VPC nodes last), straight
// arrows.
import type { Diagram } from "./graph.js";

const BOX = { width: 230, height: 64, columnGap: 70, rowGap: 36, margin: 30, line: 16 };

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function columns(diagram: Diagram): Map<string, number> {
  const column = new Map<string, number>(diagram.nodes.map((node) => [node.id, 0]));
  // Longest-path layering; the diagram is acyclic, so |nodes| rounds settle it.
  for (let round = 0; round < diagram.nodes.length; round++) {
    for (const edge of diagram.edges) column.set(edge.to, Math.max(column.get(edge.to)!, column.get(edge.from)! + 1));
  }
  return column;
}

export function toSvg(diagram: Diagram): string {
  const column = columns(diagram);
  const rowsUsed = new Map<number, number>();
  const position = new Map<string, { x: number; y: number }>();
  // VPC nodes go below every other node of their columns, so the VPC boundary encloses only them.
  const vpcColumns = new Set(diagram.nodes.filter((node) => node.inVpc).map((node) => column.get(node.id)!));
  const firstVpcRow = Math.max(
    0,
    ...[...vpcColumns].map((col) => diagram.nodes.filter((node) => !node.inVpc && column.get(node.id) === col).length),
  );
  const ordered = [...diagram.nodes.filter((node) => !node.inVpc), ...diagram.nodes.filter((node) => node.inVpc)];
  for (const node of ordered) {
    const col = column.get(node.id)!;
    const row = Math.max(rowsUsed.get(col) ?? 0, node.inVpc ? firstVpcRow : 0);
    rowsUsed.set(col, row + 1);
    position.set(node.id, {
      x: BOX.margin + col * (BOX.width + BOX.columnGap),
      y: BOX.margin + 30 + row * (BOX.height + BOX.rowGap),
    });
  }
  const width = BOX.margin * 2 + (Math.max(...column.values()) + 1) * (BOX.width + BOX.columnGap) - BOX.columnGap;
  const height = BOX.margin * 2 + 30 + Math.max(...rowsUsed.values()) * (BOX.height + BOX.rowGap) - BOX.rowGap;

  const vpc = diagram.nodes.filter((node) => node.inVpc).map((node) => position.get(node.id)!);
  const vpcBox = vpc.length
    ? (() => {
        const pad = 14;
        const x = Math.min(...vpc.map((p) => p.x)) - pad;
        const y = Math.min(...vpc.map((p) => p.y)) - pad - 14;
        const right = Math.max(...vpc.map((p) => p.x)) + BOX.width + pad;
        const bottom = Math.max(...vpc.map((p) => p.y)) + BOX.height + pad;
        return `<rect x="${x}" y="${y}" width="${right - x}" height="${bottom - y}" rx="10" fill="#f3f7ff" stroke="#6b8fd6" stroke-dasharray="6 4"/><text x="${x + 10}" y="${y + 16}" class="group">VPC</text>`;
      })()
    : "";

  const arrows = diagram.edges.map((edge) => {
    const from = position.get(edge.from)!;
    const to = position.get(edge.to)!;
    const forward = to.x > from.x;
    const x1 = forward ? from.x + BOX.width : from.x + BOX.width / 2;
    const y1 = forward ? from.y + BOX.height / 2 : from.y + (to.y > from.y ? BOX.height : 0);
    const x2 = forward ? to.x : to.x + BOX.width / 2;
    const y2 = forward ? to.y + BOX.height / 2 : to.y + (to.y > from.y ? 0 : BOX.height);
    const label = edge.label
      ? `<text x="${(x1 + x2) / 2}" y="${(y1 + y2) / 2 - 5}" class="edge">${escape(edge.label)}</text>`
      : "";
    return `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" marker-end="url(#arrow)"/>${label}`;
  });

  const boxes = diagram.nodes.map((node) => {
    const { x, y } = position.get(node.id)!;
    const top = y + BOX.height / 2 - ((node.label.length - 1) * BOX.line) / 2 + 5;
    const text = node.label
      .map((line, index) => `<text x="${x + BOX.width / 2}" y="${top + index * BOX.line}"${index === 0 ? ' class="name"' : ""}>${escape(line)}</text>`)
      .join("");
    return `<rect x="${x}" y="${y}" width="${BOX.width}" height="${BOX.height}" rx="8" class="box"/>${text}`;
  });

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>`,
    `<style>.box{fill:#fff;stroke:#333}.name{font-weight:bold}text{text-anchor:middle}.edge{fill:#555;font-size:10px}.group{text-anchor:start;fill:#3b5ba5;font-weight:bold}line{stroke:#555;stroke-width:1.3}</style>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${BOX.margin}" y="${BOX.margin + 4}" class="group" font-size="16">${escape(diagram.title)} (generated from the synthesized stack)</text>`,
    vpcBox,
    ...arrows,
    ...boxes,
    "</svg>",
  ].join("\n") + "\n";
}
