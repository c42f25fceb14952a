import { App } from "cdktf";
import type { LoadedConfiguration } from "../environments/load.js";
import { BootstrapStack } from "./bootstrap-stack.js";
import { EnvironmentStack } from "./environment-stack.js";

/** One App: the bootstrap stack plus one stack per environment, named bootstrap, dev, staging, prod. */
export function createApp(configuration: LoadedConfiguration, outdir = "cdktf.out"): App {
  const app = new App({ outdir });
  new BootstrapStack(app, configuration.bootstrap);
  for (const environment of configuration.environments) new EnvironmentStack(app, environment);
  return app;
}
