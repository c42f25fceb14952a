import { ComputeBackendService } from "@cdktf/provider-google/lib/compute-backend-service/index.js";
import { ComputeGlobalAddress } from "@cdktf/provider-google/lib/compute-global-address/index.js";
import { ComputeGlobalForwardingRule } from "@cdktf/provider-google/lib/compute-global-forwarding-rule/index.js";
import { ComputeManagedSslCertificate } from "@cdktf/provider-google/lib/compute-managed-ssl-certificate/index.js";
import { ComputeRegionNetworkEndpointGroup } from "@cdktf/provider-google/lib/compute-region-network-endpoint-group/index.js";
import {
  ComputeSecurityPolicy,
  type ComputeSecurityPolicyRule,
} from "@cdktf/provider-google/lib/compute-security-policy/index.js";
import { ComputeSslPolicy } from "@cdktf/provider-google/lib/compute-ssl-policy/index.js";
import { ComputeTargetHttpProxy } from "@cdktf/provider-google/lib/compute-target-http-proxy/index.js";
import { ComputeTargetHttpsProxy } from "@cdktf/provider-google/lib/compute-target-https-proxy/index.js";
import { ComputeUrlMap } from "@cdktf/provider-google/lib/compute-url-map/index.js";
import { createHash } from "node:crypto";
import { Construct } from "constructs";
import type { EnvironmentDefinition } from "../environments/schema.js";
import type { ProjectApis } from "./apis.js";

/** OWASP CRS 3.3 rule sets Cloud Armor evaluates, in priority order. */
export const WAF_RULE_SETS = [
  "sqli-v33-stable",
  "xss-v33-stable",
  "lfi-v33-stable",
  "rfi-v33-stable",
  "rce-v33-stable",
  "scannerdetection-v33-stable",
  "protocolattack-v33-stable",
  "sessionfixation-v33-stable",
  "methodenforcement-v33-stable",
] as const;

/**
 * CRS rules left out of a rule set. 931100 (RFI) refuses any parameter holding `http://<IPv4>`, i.e. every
 * RFC 8252 loopback redirect_uri (VS Code, mcp-remote: `http://127.0.0.1:<port>/callback`) on
 * /oauth2/register, /oauth2/authorize and /oauth2/token. The service validates redirect URIs itself.
 */
export const WAF_OPT_OUTS: Partial<Record<(typeof WAF_RULE_SETS)[number], string[]>> = {
  "rfi-v33-stable": ["owasp-crs-v030301-id931100-rfi"],
};

/** Cloud Armor accepts at most five subexpressions per rule expression. */
const MAX_SUBEXPRESSIONS = 5;
const DEFAULT_RULE_PRIORITY = 2_147_483_647;
const MATCH_EVERYONE = { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: ["*"] } };

export interface EdgeProps {
  env: string;
  region: string;
  domain: string;
  /** Cloud Run service name (a Terraform reference, so the NEG waits for the service). */
  serviceName: string;
  cloudArmor: EnvironmentDefinition["edge"]["cloudArmor"];
  apis: ProjectApis;
}

/**
 * Global external Application Load Balancer in front of Cloud Run: serverless NEG, backend service with
 * Cloud Armor, HTTPS with a Google-managed certificate, and an HTTP listener that only redirects to HTTPS.
 */
export class Edge extends Construct {
  readonly address: ComputeGlobalAddress;
  readonly securityPolicy?: ComputeSecurityPolicy;

  constructor(scope: Construct, id: string, props: EdgeProps) {
    super(scope, id);
    const { env } = props;
    const computeApi = props.apis.api("compute.googleapis.com");

    this.address = new ComputeGlobalAddress(this, "address", {
      name: `pierre-lb-ip-${env}`,
      dependsOn: [computeApi],
    });

    const neg = new ComputeRegionNetworkEndpointGroup(this, "serverless-neg", {
      name: `pierre-neg-${env}`,
      region: props.region,
      networkEndpointType: "SERVERLESS",
      cloudRun: { service: props.serviceName },
      dependsOn: [computeApi],
    });

    if (props.cloudArmor.enabled) {
      this.securityPolicy = new ComputeSecurityPolicy(this, "armor", {
        name: `pierre-armor-${env}`,
        description: "OWASP WAF, per-IP rate-based ban, optional geo-fencing, Layer 7 DDoS defense",
        type: "CLOUD_ARMOR",
        rule: cloudArmorRules(props.cloudArmor),
        // Parse JSON bodies so WAF signatures see MCP's JSON-RPC payloads field by field.
        advancedOptionsConfig: { jsonParsing: "STANDARD", logLevel: "NORMAL" },
        adaptiveProtectionConfig: {
          layer7DdosDefenseConfig: { enable: props.cloudArmor.layer7DdosDefense, ruleVisibility: "STANDARD" },
        },
        dependsOn: [computeApi],
      });
    }

    // A serverless NEG backend takes neither health checks nor timeout_sec (Cloud Run's timeout applies).
    const backend = new ComputeBackendService(this, "backend", {
      name: `pierre-backend-${env}`,
      protocol: "HTTPS",
      loadBalancingScheme: "EXTERNAL_MANAGED",
      backend: [{ group: neg.id }],
      securityPolicy: this.securityPolicy?.id,
      logConfig: { enable: true, sampleRate: 1 },
    });

    const urlMap = new ComputeUrlMap(this, "url-map", {
      name: `pierre-urlmap-${env}`,
      defaultService: backend.id,
    });

    // The name carries the domain, so a domain change creates the new certificate before dropping the old one.
    const certificate = new ComputeManagedSslCertificate(this, "certificate", {
      name: `pierre-cert-${env}-${createHash("sha256").update(props.domain).digest("hex").slice(0, 8)}`,
      managed: { domains: [props.domain] },
      lifecycle: { createBeforeDestroy: true },
      dependsOn: [computeApi],
    });

    const tlsPolicy = new ComputeSslPolicy(this, "tls-policy", {
      name: `pierre-tls-${env}`,
      profile: "MODERN",
      minTlsVersion: "TLS_1_2",
      dependsOn: [computeApi],
    });

    const httpsProxy = new ComputeTargetHttpsProxy(this, "https-proxy", {
      name: `pierre-https-${env}`,
      urlMap: urlMap.id,
      sslCertificates: [certificate.id],
      sslPolicy: tlsPolicy.id,
    });

    new ComputeGlobalForwardingRule(this, "https-rule", {
      name: `pierre-https-${env}`,
      target: httpsProxy.id,
      ipAddress: this.address.id,
      portRange: "443",
      ipProtocol: "TCP",
      loadBalancingScheme: "EXTERNAL_MANAGED",
    });

    const redirectMap = new ComputeUrlMap(this, "http-redirect", {
      name: `pierre-http-redirect-${env}`,
      defaultUrlRedirect: { httpsRedirect: true, redirectResponseCode: "MOVED_PERMANENTLY_DEFAULT", stripQuery: false },
      dependsOn: [computeApi],
    });

    const httpProxy = new ComputeTargetHttpProxy(this, "http-proxy", {
      name: `pierre-http-${env}`,
      urlMap: redirectMap.id,
    });

    new ComputeGlobalForwardingRule(this, "http-rule", {
      name: `pierre-http-${env}`,
      target: httpProxy.id,
      ipAddress: this.address.id,
      portRange: "80",
      ipProtocol: "TCP",
      loadBalancingScheme: "EXTERNAL_MANAGED",
    });
  }
}

/**
 * Rules in evaluation order (lowest priority number first; the first match decides):
 * geo-fencing, then the WAF rule sets, then the per-IP rate limit (whose "allow" for conforming traffic
 * ends evaluation, so it must come after the WAF), then the mandatory default rule.
 */
export function cloudArmorRules(armor: EnvironmentDefinition["edge"]["cloudArmor"]): ComputeSecurityPolicyRule[] {
  const geoRules = chunk(armor.blockedRegionCodes, MAX_SUBEXPRESSIONS).map((codes, index) => ({
    priority: 500 + index,
    action: "deny(403)",
    description: `Geo-fencing: ${codes.join(", ")}`,
    match: { expr: { expression: codes.map((code) => `origin.region_code == '${code}'`).join(" || ") } },
  }));

  const wafRules = WAF_RULE_SETS.map((ruleSet, index) => ({
    priority: 1000 + index * 10,
    action: "deny(403)",
    description: `OWASP ${ruleSet}`,
    match: {
      expr: { expression: `evaluatePreconfiguredWaf('${ruleSet}', ${wafOptions(armor.wafSensitivity, WAF_OPT_OUTS[ruleSet])})` },
    },
  }));

  const rateLimit = armor.rateLimit;
  const rateBasedBan = {
    priority: 2000,
    action: "rate_based_ban",
    description: "Per-IP rate limit; sustained abuse is banned for a while",
    match: MATCH_EVERYONE,
    rateLimitOptions: {
      enforceOnKey: "IP",
      conformAction: "allow",
      exceedAction: "deny(429)",
      rateLimitThreshold: { count: rateLimit.requestsPerMinute, intervalSec: 60 },
      banThreshold: { count: rateLimit.banAfterRequestsPer5Minutes, intervalSec: 300 },
      banDurationSec: rateLimit.banDurationSeconds,
    },
  };

  const defaultRule = {
    priority: DEFAULT_RULE_PRIORITY,
    action: "allow",
    description: "Default rule",
    match: MATCH_EVERYONE,
  };

  return [...geoRules, ...wafRules, rateBasedBan, defaultRule];
}

function wafOptions(sensitivity: number, optOuts: string[] = []): string {
  const ids = optOuts.map((id) => `'${id}'`).join(", ");
  return `{'sensitivity': ${sensitivity}${optOuts.length > 0 ? `, 'opt_out_rule_ids': [${ids}]` : ""}}`;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, index) => items.slice(index * size, (index + 1) * size));
}
