// Hand-written binding for hashicorp/random's random_password (no prebuilt CDKTF package is installed,
// and generating bindings needs the Terraform registry). Only what Pierre uses is modelled.
import { TerraformProvider, TerraformResource } from "cdktf";
import { Construct } from "constructs";

const RANDOM_PROVIDER = { providerName: "random", providerVersion: "3.7.2" };

export class RandomProvider extends TerraformProvider {
  constructor(scope: Construct, id: string) {
    super(scope, id, {
      terraformResourceType: "random",
      terraformGeneratorMetadata: RANDOM_PROVIDER,
      terraformProviderSource: "hashicorp/random",
    });
  }
}

export interface RandomPasswordConfig {
  length: number;
  /** Punctuation breaks connection strings and shell quoting; length makes up for the smaller alphabet. */
  special: boolean;
}

export class RandomPassword extends TerraformResource {
  constructor(
    scope: Construct,
    id: string,
    private readonly config: RandomPasswordConfig,
  ) {
    super(scope, id, { terraformResourceType: "random_password", terraformGeneratorMetadata: RANDOM_PROVIDER });
  }

  /** The generated value: a Terraform reference, never a literal (it lives only in the encrypted state). */
  get result(): string {
    return this.getStringAttribute("result");
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return { length: this.config.length, special: this.config.special };
  }
}
