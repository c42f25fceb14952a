// MCP prompts: conversation starters that tell the model which tools answer the question and in what order.
import type { GetPromptResult, ListPromptsResult, Prompt } from "@modelcontextprotocol/sdk/types.js";

interface PromptSpec extends Prompt {
  text(args: Record<string, string>): string;
}

const PROMPTS: PromptSpec[] = [
  {
    name: "weekly_training_review",
    title: "Weekly training review",
    description: "Review the last week of training: load, patterns, recovery and what to change next week.",
    arguments: [{ name: "focus", description: "Optional: what to focus on (e.g. marathon build, base fitness)", required: false }],
    text: ({ focus }) =>
      "Review my last week of training. Call analyze_training_load (days: 14), detect_patterns (weeks: 4), " +
      "calculate_recovery_score and generate_recommendations. Summarize fitness (CTL), fatigue (ATL) and form (TSB) with " +
      "their trend, point out load jumps or missed rest, and propose next week's plan in a few bullet points. " +
      "Say which inputs were estimated." +
      (focus ? ` Focus: ${focus}.` : ""),
  },
  {
    name: "race_readiness",
    title: "Race readiness",
    description: "How ready am I for a race: predicted time, form on race day and what to do until then.",
    arguments: [
      { name: "race", description: "5k, 10k, half_marathon or marathon", required: true },
      { name: "race_date", description: "YYYY-MM-DD, optional", required: false },
    ],
    text: ({ race, race_date }) =>
      `Am I ready for a ${race}${race_date ? ` on ${race_date}` : ""}? Call predict_performance with race "${race}", ` +
      "analyze_training_load and calculate_fitness_score. Give the predicted time (VDOT and Riegel), whether my form (TSB) " +
      "should be positive by race day with a taper, and the two or three most useful things to do until then.",
  },
  {
    name: "recovery_check",
    title: "Recovery check",
    description: "Should I train hard, easy or rest today?",
    arguments: [],
    text: () =>
      "Should I train today? Call suggest_rest_day, calculate_recovery_score and analyze_sleep_quality. Answer with hard, " +
      "easy or rest first, then the reasons (load, sleep, HRV), and what would change the answer.",
  },
];

const byName = new Map(PROMPTS.map((spec) => [spec.name, spec]));

export const PROMPT_LIST: ListPromptsResult = Object.freeze({
  prompts: PROMPTS.map(({ name, title, description, arguments: args }) => ({ name, title, description, arguments: args })),
});

/** The prompt's messages, or (a string) a sentence saying what is wrong with the request. */
export function getPrompt(name: string, args: Record<string, string> = {}): GetPromptResult | string {
  const spec = byName.get(name);
  if (!spec) return `Unknown prompt: ${name}`;
  const missing = (spec.arguments ?? []).filter((arg) => arg.required && !args[arg.name]?.trim()).map((arg) => arg.name);
  if (missing.length) return `Missing argument for prompt ${name}: ${missing.join(", ")}`;
  if (name === "race_readiness" && !["5k", "10k", "half_marathon", "marathon"].includes(args.race)) {
    return "race must be one of 5k, 10k, half_marathon, marathon";
  }
  if (args.race_date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(args.race_date)) return "race_date must be YYYY-MM-DD";
  return { description: spec.description, messages: [{ role: "user", content: { type: "text", text: spec.text(args) } }] };
}
