// A Diagram as a Mermaid flowchart (GitHub renders it in the README).
import type { Diagram, DiagramNode } from "./graph.js";

const box = (node: DiagramNode) => `${node.id}["${node.label.join("<br/>")}"]`;

export function toMermaid(diagram: Diagram): string {
  const outside = diagram.nodes.filter((node) => !node.inVpc);
  const inside = diagram.nodes.filter((node) => node.inVpc);
  return [
    "flowchart LR",
    ...outside.map((node) => `  ${box(node)}`),
    `  subgraph vpc["VPC"]`,
    ...inside.map((node) => `    ${box(node)}`),
    "  end",
    ...diagram.edges.map((edge) => `  ${edge.from} -->${edge.label ? `|"${edge.label}"|` : ""} ${edge.to}`),
  ].join("\n");
}
