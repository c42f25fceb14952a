// Hand-written binding for hashicorp/time's time_sleep (no prebuilt CDKTF package is installed, and
// generating bindings needs the Terraform registry). Only what Pierre uses is modelled.
import { TerraformProvider, TerraformResource, type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";

const TIME_PROVIDER = { providerName: "time", providerVersion: "0.13.1" };

export class TimeProvider extends TerraformProvider {
  constructor(scope: Construct, id: string) {
    super(scope, id, {
      terraformResourceType: "time",
      terraformGeneratorMetadata: TIME_PROVIDER,
      terraformProviderSource: "hashicorp/time",
    });
  }
}

export interface TimeSleepConfig {
  /** Wait after create only, e.g. "180s"; later applies do not wait again. */
  createDuration: string;
  /** Values whose change re-creates the sleep (so it waits again for a re-created dependency). */
  triggers: Record<string, string>;
  dependsOn: ITerraformDependable[];
}

export class TimeSleep extends TerraformResource {
  constructor(
    scope: Construct,
    id: string,
    private readonly config: TimeSleepConfig,
  ) {
    super(scope, id, {
      terraformResourceType: "time_sleep",
      terraformGeneratorMetadata: TIME_PROVIDER,
      dependsOn: config.dependsOn,
    });
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return { create_duration: this.config.createDuration, triggers: this.config.triggers };
  }
}
