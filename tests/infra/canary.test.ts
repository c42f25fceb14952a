// Canary releases are configuration: PIERRE_<ENV>_CANARY_IMAGE / _PERCENT decide the traffic split.
import { describe, expect, it } from "vitest";
import { CANARY_IMAGE, CONFIGURED_ENV, STABLE_IMAGE } from "../support/infra/fixtures.js";
import { single, synthesizeAll, type Json } from "../support/infra/synth.js";

function prodService(extra: NodeJS.ProcessEnv = {}): Json {
  return single(synthesizeAll({ ...CONFIGURED_ENV, ...extra }).prod, "google_cloud_run_v2_service");
}

/** The Terraform expression naming the revision of an image (same template otherwise). */
const revisionOf = (image: string) => expect.stringMatching(new RegExp(`^pierre-prod-\\$\\{substr\\(sha256\\(join\\(" ", \\["${image}", local\\.`));

describe("canary releases (prod)", () => {
  it("without a canary, pins 100% to the stable image's named revision", () => {
    const service = prodService();
    expect(service.template.containers[0].image).toBe(STABLE_IMAGE);
    expect(service.template.revision).toEqual(revisionOf(STABLE_IMAGE));
    expect(service.traffic).toEqual([
      { type: "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION", revision: service.template.revision, percent: 100 },
    ]);
  });

  it("deploys the candidate as a tagged revision with 10% by default, the stable revision keeping the rest", () => {
    const service = prodService({ PIERRE_PROD_CANARY_IMAGE: CANARY_IMAGE });
    expect(service.template.containers[0].image).toBe(CANARY_IMAGE);
    expect(service.template.revision).toEqual(revisionOf(CANARY_IMAGE));
    expect(service.traffic).toEqual([
      { type: "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION", revision: revisionOf(STABLE_IMAGE), percent: 90, tag: "stable" },
      { type: "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION", revision: service.template.revision, percent: 10, tag: "candidate" },
    ]);
  });

  it.each([
    ["25", 75, 25],
    ["100", 0, 100],
  ])("CANARY_PERCENT=%s splits %i/%i, always summing to 100", (percent, stable, candidate) => {
    const service = prodService({ PIERRE_PROD_CANARY_IMAGE: CANARY_IMAGE, PIERRE_PROD_CANARY_PERCENT: percent });
    expect(service.traffic.map((target: Json) => [target.tag, target.percent])).toEqual([
      ["stable", stable],
      ["candidate", candidate],
    ]);
  });

  it("returns to exactly the stable revision on rollback (unset canary) and after promotion (stable := candidate)", () => {
    const before = prodService();
    const canary = prodService({ PIERRE_PROD_CANARY_IMAGE: CANARY_IMAGE });
    expect(prodService().template).toEqual(before.template);
    const promoted = prodService({ PIERRE_PROD_IMAGE: CANARY_IMAGE });
    expect(promoted.template).toEqual(canary.template);
    expect(promoted.traffic).toEqual([
      { type: "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION", revision: canary.template.revision, percent: 100 },
    ]);
  });

  it("works the same way in the other environments", () => {
    const staging = single(
      synthesizeAll({ ...CONFIGURED_ENV, PIERRE_STAGING_IMAGE: STABLE_IMAGE, PIERRE_STAGING_CANARY_IMAGE: CANARY_IMAGE }).staging,
      "google_cloud_run_v2_service",
    );
    expect(staging.traffic.map((target: Json) => target.percent)).toEqual([90, 10]);
    expect(staging.template.revision).toMatch(/^pierre-staging-/);
  });
});
