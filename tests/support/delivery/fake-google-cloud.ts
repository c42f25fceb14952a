// A local stand-in for the Cloud Run Admin API (Knative serving v1, as gcloud calls it) and Artifact
// Registry, so the real gcloud CLI can be exercised without a Google account. gcloud reaches it as an
// HTTP proxy: endpoint overrides point each API at a plain-http host name, and every request arrives
// here with that absolute URL. Only the calls the release script and the deploy workflow make exist.
// Running a job hands its container (image, command, args, env) to `runTask`, which decides the outcome.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface ServiceState {
  name: string;
  serviceAccount: string;
  connector: string;
  env: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }>;
  /** Revision name -> image. */
  revisions: Record<string, string>;
  traffic: Array<{ revisionName: string; percent: number; tag?: string }>;
  /** URL served for a traffic tag; by default https://<tag>---<service host>. */
  tagUrls?: Record<string, string>;
}

export interface TaskContainer {
  image: string;
  command?: string[];
  args?: string[];
  env?: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }>;
}

export interface RecordedRequest {
  method: string;
  url: URL;
  body: unknown;
}

export class FakeGoogleCloud {
  readonly requests: RecordedRequest[] = [];
  readonly services = new Map<string, ServiceState>();
  readonly jobs = new Map<string, Record<string, unknown>>();
  /** Artifact Registry tags of the `pierre` image: tag -> digest. */
  readonly tags = new Map<string, string>();
  readonly executions = new Map<string, { job: string; status: Record<string, unknown> }>();
  /** Runs a job's task; resolves to its exit code. */
  runTask: (container: TaskContainer) => Promise<number> = async () => 0;
  private server?: Server;
  /** gcloud's configuration directory for this fake's lifetime (gcloud writes logs and caches there). */
  private configDir = "";

  constructor(
    readonly project: string,
    readonly region: string,
  ) {}

  async start(): Promise<void> {
    this.configDir = mkdtempSync(join(tmpdir(), "pierre-gcloud-"));
    writeFileSync(join(this.configDir, "token"), "test-token\n");
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    rmSync(this.configDir, { recursive: true, force: true });
  }

  /** Environment for a gcloud child process: throwaway config, a dummy token, every call routed here. */
  gcloudEnv(): Record<string, string> {
    return {
      CLOUDSDK_CONFIG: this.configDir,
      CLOUDSDK_AUTH_ACCESS_TOKEN_FILE: join(this.configDir, "token"),
      CLOUDSDK_CORE_DISABLE_PROMPTS: "1",
      CLOUDSDK_CORE_SHOULD_PROMPT_TO_ENABLE_API: "false",
      CLOUDSDK_CORE_DISABLE_USAGE_REPORTING: "true",
      CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK: "true",
      CLOUDSDK_API_ENDPOINT_OVERRIDES_RUN: "http://run.test/",
      CLOUDSDK_API_ENDPOINT_OVERRIDES_ARTIFACTREGISTRY: "http://artifactregistry.test/",
      CLOUDSDK_PROXY_TYPE: "http",
      CLOUDSDK_PROXY_ADDRESS: "127.0.0.1",
      CLOUDSDK_PROXY_PORT: String((this.server!.address() as AddressInfo).port),
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let text = "";
    for await (const chunk of req) text += chunk;
    const url = new URL(req.url ?? "/", "http://unknown.test");
    this.requests.push({ method: req.method ?? "GET", url, body: text ? JSON.parse(text) : undefined });
    const [status, body] = this.route(req.method ?? "GET", url.pathname, text ? JSON.parse(text) : undefined, url.searchParams);
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  }

  private route(method: string, path: string, body: unknown, query: URLSearchParams): [number, unknown] {
    const ns = `/apis/serving.knative.dev/v1/namespaces/${this.project}`;
    const jobs = `/apis/run.googleapis.com/v1/namespaces/${this.project}/jobs`;
    const repository = `/v1/projects/${this.project}/locations/${this.region}/repositories/pierre`;
    if (method === "GET" && path.startsWith(`${ns}/services/`)) {
      const service = this.services.get(path.slice(`${ns}/services/`.length));
      return service ? [200, this.serviceResource(service)] : notFound(path);
    }
    if (method === "GET" && path === `${ns}/services`) {
      return [200, { apiVersion: "serving.knative.dev/v1", kind: "ServiceList", metadata: {}, items: [...this.services.values()].map((s) => this.serviceResource(s)) }];
    }
    const revision = path.startsWith(`${ns}/revisions/`) && this.findRevision(path.slice(`${ns}/revisions/`.length));
    if (method === "GET" && revision) return [200, revision];
    if (method === "POST" && path.startsWith(`${jobs}/`) && path.endsWith(":run")) {
      const name = path.slice(jobs.length + 1, -":run".length);
      const job = this.jobs.get(name) as { spec: { template: { spec: { template: { spec: { containers: TaskContainer[] } } } } } } | undefined;
      return job ? [200, this.startExecution(name, job.spec.template.spec.template.spec.containers[0])] : notFound(path);
    }
    const executions = `/apis/run.googleapis.com/v1/namespaces/${this.project}/executions/`;
    if (method === "GET" && path.startsWith(executions)) {
      const name = path.slice(executions.length);
      return this.executions.has(name) ? [200, this.executionResource(name)] : notFound(path);
    }
    if (method === "GET" && path.startsWith(`${jobs}/`)) {
      const job = this.jobs.get(path.slice(jobs.length + 1));
      return job ? [200, job] : notFound(path);
    }
    if ((method === "POST" && path === jobs) || (method === "PUT" && path.startsWith(`${jobs}/`))) {
      const job = { ...(body as { metadata: { name: string } }), status: { conditions: [{ type: "Ready", status: "True" }] } };
      this.jobs.set(job.metadata.name, job);
      return [200, job];
    }
    if (method === "GET" && path === repository) {
      return [200, { name: path.slice(4), format: "DOCKER", mode: "STANDARD_REPOSITORY" }];
    }
    const tagPath = `${repository}/packages/pierre/tags/`;
    if (path.startsWith(tagPath) || (method === "POST" && path === tagPath.slice(0, -1))) {
      return this.routeTag(method, path.startsWith(tagPath) ? path.slice(tagPath.length) : query.get("tagId")!, body);
    }
    if (method === "GET" && path === `${repository}/packages/pierre/tags`) {
      const tags = [...this.tags].map(([tag, digest]) => ({
        name: `${path.slice(4)}/${tag}`,
        version: `${repository.slice(4)}/packages/pierre/versions/${digest}`,
      }));
      return [200, { tags }];
    }
    return notFound(path);
  }

  /** Artifact Registry tags of the `pierre` image: get, create (POST ?tagId=), delete (gcloud moves a tag so). */
  private routeTag(method: string, tag: string, body: unknown): [number, unknown] {
    const resource = (digest: string) => ({
      name: `projects/${this.project}/locations/${this.region}/repositories/pierre/packages/pierre/tags/${tag}`,
      version: `projects/${this.project}/locations/${this.region}/repositories/pierre/packages/pierre/versions/${digest}`,
    });
    if (method === "DELETE") return this.tags.delete(tag) ? [200, {}] : notFound(tag);
    if (method === "POST") {
      const version = (body as { version: string }).version;
      this.tags.set(tag, version.slice(version.lastIndexOf("/") + 1));
    }
    const digest = this.tags.get(tag);
    return digest ? [200, resource(digest)] : notFound(tag);
  }

  private startExecution(job: string, container: TaskContainer) {
    const name = `${job}-${this.executions.size + 1}`;
    const unknown = { status: "Unknown" };
    const execution = {
      job,
      status: { conditions: [{ type: "Completed", ...unknown }, { type: "Started", status: "True" }] } as Record<string, unknown>,
    };
    this.executions.set(name, execution);
    void this.runTask(container).then((code) => {
      const completed = code === 0 ? { status: "True" } : { status: "False", reason: "TaskFailed", message: `exit code ${code}` };
      execution.status = {
        conditions: [{ type: "Completed", ...completed }, { type: "Started", status: "True" }],
        succeededCount: code === 0 ? 1 : 0,
        failedCount: code === 0 ? 0 : 1,
      };
    });
    return this.executionResource(name);
  }

  private executionResource(name: string) {
    const { job, status } = this.executions.get(name)!;
    return {
      apiVersion: "run.googleapis.com/v1",
      kind: "Execution",
      metadata: { name, namespace: this.project, labels: { "run.googleapis.com/job": job } },
      spec: { parallelism: 1, taskCount: 1 },
      status,
    };
  }

  private serviceResource(service: ServiceState) {
    const latest = Object.keys(service.revisions).at(-1)!;
    const host = `${service.name}-123456789012.${this.region}.run.app`;
    return {
      apiVersion: "serving.knative.dev/v1",
      kind: "Service",
      metadata: { name: service.name, namespace: "123456789012", annotations: { "run.googleapis.com/ingress": "all" } },
      spec: {
        template: {
          metadata: {
            name: latest,
            annotations: {
              "run.googleapis.com/vpc-access-connector": service.connector,
              "run.googleapis.com/vpc-access-egress": "all-traffic",
              "autoscaling.knative.dev/maxScale": "10",
            },
          },
          spec: {
            containerConcurrency: 80,
            timeoutSeconds: 300,
            serviceAccountName: service.serviceAccount,
            containers: [{ image: service.revisions[latest], ports: [{ name: "http1", containerPort: 8081 }], env: service.env }],
          },
        },
        traffic: service.traffic,
      },
      status: {
        observedGeneration: 3,
        latestReadyRevisionName: latest,
        latestCreatedRevisionName: latest,
        url: `https://${host}`,
        traffic: service.traffic.map((target) =>
          target.tag ? { ...target, url: service.tagUrls?.[target.tag] ?? `https://${target.tag}---${host}` } : target,
        ),
        conditions: [{ type: "Ready", status: "True" }],
      },
    };
  }

  private findRevision(name: string) {
    for (const service of this.services.values()) {
      const image = service.revisions[name];
      if (image) {
        return {
          apiVersion: "serving.knative.dev/v1",
          kind: "Revision",
          metadata: { name, labels: { "serving.knative.dev/service": service.name } },
          spec: { serviceAccountName: service.serviceAccount, containers: [{ image, env: service.env }] },
          status: { imageDigest: `${image.split(":")[0]}@sha256:${"0".repeat(64)}` },
        };
      }
    }
    return undefined;
  }
}

function notFound(path: string): [number, unknown] {
  return [404, { error: { code: 404, message: `${path} not found`, status: "NOT_FOUND" } }];
}
