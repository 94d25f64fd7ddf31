// Atlas Private Service Connect uses the port-mapped architecture (one endpoint for the whole cluster): the
// endpoint service takes the forwarding rule's name and IP (`private_endpoint_ip_address`); the legacy
// `endpoints {}` block (one endpoint per node) conflicts with it in mongodbatlas v2
// (mongodb/terraform-provider-mongodbatlas@468253d:internal/service/privatelinkendpointservice/resource.go).
import { join } from "node:path";
import { attr, blocks, loadHcl, parseHclFile } from "../../tools/terraform/hcl";
import { terraformRoot } from "../../tools/terraform/readme";

beforeAll(loadHcl);

test("the PSC endpoint service is port-mapped: private_endpoint_ip_address, no legacy endpoints block", () => {
  const items = parseHclFile(join(terraformRoot, "modules", "mongodb", "main.tf"));
  const resource = (type: string) => blocks(items, "resource").find((b) => b.labels[0] === type)?.body ?? [];
  expect(attr(resource("mongodbatlas_privatelink_endpoint"), "port_mapping_enabled")?.expr).toBe("true");
  const service = resource("mongodbatlas_privatelink_endpoint_service");
  expect(blocks(service, "endpoints")).toHaveLength(0);
  expect(attr(service, "private_endpoint_ip_address")?.expr).toBe("google_compute_address.psc.address");
  expect(attr(service, "endpoint_service_id")?.expr).toBe("google_compute_forwarding_rule.psc.name");
});
