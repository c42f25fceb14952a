// The skills are defined over the MCP tool catalog, so the two cannot drift apart: a skill naming a tool the
// catalog lacks does not build, and a skill's tier and scopes follow its tools' (tiers as data).
import { describe, expect, it } from "vitest";
import { createSkillCatalog, chooseSkill, SKILLS, type Skill } from "../../service/a2a/skills.js";
import { createToolCatalog, PIERRE_TOOLS } from "../../service/mcp/tools/index.js";
import { TOOL_TIERS } from "../../service/mcp/tools/tiers.js";

const tools = createToolCatalog(PIERRE_TOOLS);
const skills = createSkillCatalog(tools);
const skill = (id: string) => skills.find(id)!;

describe("skill catalog", () => {
  it("refuses a skill that names a tool the MCP catalog lacks", () => {
    const orphan: Skill = { ...SKILLS[0], id: "orphan", tools: ["analyze_training_load", "no_such_tool"] };
    expect(() => createSkillCatalog(tools, [...SKILLS, orphan])).toThrow(/orphan names tools the catalog lacks: no_such_tool/);
  });

  it("takes each skill's tier from its tools: the highest first tier among them", () => {
    expect(skills.tierOf(skill("recovery_check"))).toBe("free");
    expect(skills.tierOf(skill("weekly_training_review"))).toBe("pro");
    // Moving a tool to another tier moves the skill with it.
    const retiered = createSkillCatalog(createToolCatalog(PIERRE_TOOLS, { ...TOOL_TIERS, calculate_recovery_score: "enterprise" }));
    expect(retiered.tierOf(retiered.find("recovery_check")!)).toBe("enterprise");
    expect(skills.scopesOf(skill("goal_feasibility"))).toEqual(["fitness:read"]);
  });

  it("chooses the skill a message names, else its task's, else the one its text mentions, and parses its arguments", () => {
    const pick = (request: { skill?: unknown; texts?: string[]; data?: unknown[] }, fallback?: Skill) => {
      const choice = chooseSkill(skills, { skill: request.skill, texts: request.texts ?? [], data: request.data ?? [] }, fallback);
      return "skill" in choice ? { id: choice.skill.id, input: choice.input } : choice;
    };
    expect(pick({ skill: "weekly_training_review" })).toEqual({ id: "weekly_training_review", input: { weeks: 4 } });
    expect(pick({ texts: ["A recovery check, please"] })).toEqual({ id: "recovery_check", input: {} });
    expect(pick({ texts: ["the 10k one"], data: [{ goal_id: "8d4f2a8e-1111-4c2b-9a7e-0d6b2b0a9f10" }] }, skill("goal_feasibility"))).toMatchObject({ id: "goal_feasibility" });
    expect(pick({ skill: "nope" })).toEqual({ problem: expect.stringMatching(/^unknown skill "nope"; skills: weekly_training_review, /) });
    expect(pick({ texts: ["hello"] })).toEqual({ problem: expect.stringMatching(/^name a skill in metadata.skill/) });
    expect(pick({ skill: "race_time_prediction", data: [{ race: "5k", distance_meters: 5000 }] })).toEqual({ problem: expect.stringMatching(/give exactly one of race or distance_meters/) });
    expect(pick({ skill: 7 })).toEqual({ problem: expect.stringMatching(/^unknown skill 7;/) });
  });
});
