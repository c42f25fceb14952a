// Entry point of `npm run synth` and `npx cdktf synth|diff|deploy`: writes cdktf.out/stacks/<name>/cdk.tf.json.
import { EnvironmentConfigError, loadConfiguration } from "./environments/load.js";
import { createApp } from "./stacks/app.js";

try {
  const configuration = loadConfiguration(process.env);
  createApp(configuration).synth();
  for (const stack of [configuration.bootstrap, ...configuration.environments]) {
    if (stack.placeholders.length > 0) {
      const name = "name" in stack ? stack.name : "bootstrap";
      console.log(`${name}: placeholders for ${stack.placeholders.join(", ")} (fine for CI; a plan will refuse)`);
    }
  }
} catch (error) {
  if (!(error instanceof EnvironmentConfigError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
