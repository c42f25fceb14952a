import { ComputeAddress } from "@cdktf/provider-google/lib/compute-address/index.js";
import { ComputeGlobalAddress } from "@cdktf/provider-google/lib/compute-global-address/index.js";
import { ComputeNetwork } from "@cdktf/provider-google/lib/compute-network/index.js";
import { ComputeRouterNat } from "@cdktf/provider-google/lib/compute-router-nat/index.js";
import { ComputeRouter } from "@cdktf/provider-google/lib/compute-router/index.js";
import { ComputeSubnetwork } from "@cdktf/provider-google/lib/compute-subnetwork/index.js";
import { ServiceNetworkingConnection } from "@cdktf/provider-google/lib/service-networking-connection/index.js";
import { VpcAccessConnector } from "@cdktf/provider-google/lib/vpc-access-connector/index.js";
import { Construct } from "constructs";
import type { EnvironmentDefinition } from "../environments/schema.js";
import type { ProjectApis } from "./apis.js";

export interface NetworkProps {
  env: string;
  region: string;
  network: EnvironmentDefinition["network"];
  apis: ProjectApis;
}

/** Ports one NAT IP offers; the connector's VMs share them. */
const PORTS_PER_NAT_IP = 64_512;

/**
 * VPC for the service's egress and the database's private IP:
 * - a general subnet (Private Google Access) and a dedicated /28 subnet for the Serverless VPC Access connector;
 * - a Private Service Access range + peering for Cloud SQL;
 * - Cloud Router + Cloud NAT on one reserved IP, covering the connector subnet, so every external API call
 *   (Strava, Garmin, Fitbit, OpenWeather, USDA) leaves from an address providers can allow-list.
 */
export class Network extends Construct {
  readonly vpc: ComputeNetwork;
  readonly connector: VpcAccessConnector;
  readonly privateServiceAccess: ServiceNetworkingConnection;
  readonly sqlPeeringRange: ComputeGlobalAddress;
  readonly egressAddress: ComputeAddress;
  readonly nat: ComputeRouterNat;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const { env, region, network } = props;

    this.vpc = new ComputeNetwork(this, "vpc", {
      name: `pierre-vpc-${env}`,
      autoCreateSubnetworks: false,
      routingMode: "REGIONAL",
      dependsOn: [props.apis.api("compute.googleapis.com")],
    });

    const subnet = new ComputeSubnetwork(this, "subnet", {
      name: `pierre-subnet-${env}`,
      network: this.vpc.id,
      region,
      ipCidrRange: network.subnetCidr,
      privateIpGoogleAccess: true,
    });

    const connectorSubnet = new ComputeSubnetwork(this, "connector-subnet", {
      name: `pierre-connector-${env}`,
      network: this.vpc.id,
      region,
      ipCidrRange: network.connectorCidr,
      privateIpGoogleAccess: true,
    });

    const [peeringAddress, peeringPrefix] = network.sqlPeeringCidr.split("/");
    this.sqlPeeringRange = new ComputeGlobalAddress(this, "sql-peering-range", {
      name: `pierre-sql-peering-${env}`,
      purpose: "VPC_PEERING",
      addressType: "INTERNAL",
      address: peeringAddress,
      prefixLength: Number(peeringPrefix),
      network: this.vpc.id,
      description: "Private Service Access range for Cloud SQL; must not overlap any subnet",
    });

    this.privateServiceAccess = new ServiceNetworkingConnection(this, "private-service-access", {
      network: this.vpc.id,
      service: "servicenetworking.googleapis.com",
      reservedPeeringRanges: [this.sqlPeeringRange.name],
      // Removing the peering fails while Cloud SQL still uses it; abandoning lets destroy finish.
      deletionPolicy: "ABANDON",
      dependsOn: [props.apis.api("servicenetworking.googleapis.com")],
    });

    this.connector = new VpcAccessConnector(this, "connector", {
      name: `pierre-conn-${env}`, // at most 25 characters
      region,
      subnet: { name: connectorSubnet.name },
      machineType: network.connector.machineType,
      minInstances: network.connector.minInstances,
      maxInstances: network.connector.maxInstances,
      dependsOn: [props.apis.api("vpcaccess.googleapis.com")],
    });

    const router = new ComputeRouter(this, "router", {
      name: `pierre-router-${env}`,
      network: this.vpc.id,
      region,
    });

    this.egressAddress = new ComputeAddress(this, "egress-ip", {
      name: `pierre-egress-${env}`,
      region,
      addressType: "EXTERNAL",
      networkTier: "PREMIUM",
      description: "Static source address of Pierre's calls to external APIs",
      dependsOn: [props.apis.api("compute.googleapis.com")],
    });

    this.nat = new ComputeRouterNat(this, "nat", {
      name: `pierre-nat-${env}`,
      router: router.name,
      region,
      natIpAllocateOption: "MANUAL_ONLY",
      natIps: [this.egressAddress.selfLink],
      sourceSubnetworkIpRangesToNat: "LIST_OF_SUBNETWORKS",
      subnetwork: [connectorSubnet, subnet].map((s) => ({ name: s.id, sourceIpRangesToNat: ["ALL_IP_RANGES"] })),
      // The connector's few VMs carry every instance's outbound connections: give them the IP's ports.
      enableDynamicPortAllocation: true,
      minPortsPerVm: 1024,
      maxPortsPerVm: maxPortsPerConnectorVm(network.connector.maxInstances),
      logConfig: { enable: true, filter: "ERRORS_ONLY" },
    });
  }
}

/** Largest power of two (as dynamic port allocation requires) that still fits every connector VM on one IP. */
export function maxPortsPerConnectorVm(connectorMaxInstances: number): number {
  const share = Math.floor(PORTS_PER_NAT_IP / connectorMaxInstances);
  return 2 ** Math.floor(Math.log2(share));
}
