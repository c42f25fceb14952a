// Entry point of `npm run synth` and `npx cdktf synth|diff|deploy`: writes cdktf.out/stacks/<name>/cdk.tf.json.
import { EnvironmentConfigError, loadConfiguration } from "./environments/load.js";
import { createApp } from "./stacks/app.js";

try {
  const configuration = loadConfiguration(process.env);
  createApp(configuration).synth();
  const placeholders: Array<[string, string[]]> = [
    ["bootstrap", configuration.bootstrap.placeholders],
    ...configuration.environments.map((config): [string, string[]] => [config.name, config.placeholders]),
  ];
  for (const [stack, unset] of placeholders.filter(([, unset]) => unset.length > 0)) {
    console.log(`${stack}: placeholders for ${unset.join(", ")} (fine for CI; a plan will refuse)`);
  }
} catch (error) {
  if (!(error instanceof EnvironmentConfigError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
