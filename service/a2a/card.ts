// The agent card (served at the SDK's well-known path), generated from the skill catalog and the MCP tool
// catalog it names: a skill's description ends with the titles and descriptions of the tools whose
// analyses it answers, its tags are those tools and its tier, its security requirement their scopes. The
// one security scheme is what the token endpoint really does for A2A clients: OAuth 2.0 client credentials.
import type { AgentCard, AgentSkill, SecurityRequirement } from "@a2a-js/sdk";
import packageJson from "../../package.json" with { type: "json" };
import type { Config } from "../config.js";
import type { ToolCatalog } from "../mcp/tools/index.js";
import { PATHS } from "../oauth/metadata.js";
import { SCOPE_DESCRIPTIONS } from "../oauth/scopes.js";
import type { SkillCatalog } from "./skills.js";

export const SECURITY_SCHEME = "pierre_oauth2";
const MODES = ["text/plain", "application/json"];

const requirement = (scopes: string[]): SecurityRequirement => ({ schemes: { [SECURITY_SCHEME]: { list: scopes } } });

/** `protocolVersion`: the A2A version the SDK implements (its A2A_PROTOCOL_VERSION). */
export function agentCard(config: Pick<Config, "publicBaseUrl" | "a2aUrl">, skills: SkillCatalog, tools: ToolCatalog, protocolVersion: string): AgentCard {
  const skillEntries: AgentSkill[] = skills.all.map((skill) => {
    const tier = skills.tierOf(skill);
    const answers = skill.tools.map((name) => {
      const { title, description } = tools.find(name)!.definition;
      return `${title} (MCP tool ${name}): ${description}`;
    });
    return {
      id: skill.id,
      name: skill.name,
      description: [skill.summary, `From the ${tier} tier. Arguments: a data part (an object) with metadata.skill = "${skill.id}".`, ...answers].join(" "),
      tags: [...skill.tools, `tier:${tier}`],
      examples: [...skill.examples],
      inputModes: MODES,
      outputModes: MODES,
      securityRequirements: [requirement(skills.scopesOf(skill))],
    };
  });
  return {
    name: "Pierre",
    description:
      "Training analyses of an athlete's synced fitness data (Strava, Garmin, Fitbit): weekly training review, race-time " +
      "prediction, recovery check, goal feasibility. Each result is a text a model can read and the structured data.",
    supportedInterfaces: [{ url: config.a2aUrl, protocolBinding: "JSONRPC", tenant: "", protocolVersion }],
    provider: { organization: "Pierre", url: config.publicBaseUrl },
    version: packageJson.version,
    documentationUrl: `${config.publicBaseUrl}/`,
    capabilities: { streaming: true, pushNotifications: true, extensions: [], extendedAgentCard: false },
    securitySchemes: {
      [SECURITY_SCHEME]: {
        scheme: {
          $case: "oauth2SecurityScheme",
          value: {
            description: "OAuth 2.0 client credentials of an A2A client registered by the tenant's operator (admin: create-a2a-client).",
            flows: { flow: { $case: "clientCredentials", value: { tokenUrl: `${config.publicBaseUrl}${PATHS.token}`, refreshUrl: "", scopes: { ...SCOPE_DESCRIPTIONS } } } },
            oauth2MetadataUrl: `${config.publicBaseUrl}${PATHS.authorizationServerMetadata}`,
          },
        },
      },
    },
    securityRequirements: [requirement(["fitness:read"])],
    defaultInputModes: MODES,
    defaultOutputModes: MODES,
    skills: skillEntries,
    signatures: [],
  };
}
