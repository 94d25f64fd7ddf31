// The deploy and plan service accounts live in the admin project and call the Service Usage API on the
// environment projects (google_project_service in the environment root: enable on apply, list on every
// refresh). Without user_project_override, Service Usage checks that the API is enabled in the project of the
// caller's credentials, i.e. the admin project: "service activations rely on the actor (credentials) having
// the serviceusage.googleapis.com service enabled ... a bootstrapping problem for service accounts"
// (hashicorp/terraform-provider-google issue #7660; the 403 "Service Usage API has not been used in project
// <number>" of issue #2971 and terraform-google-modules/terraform-google-project-factory issue #718). So
// bootstrap must enable it in the admin project, or the first plan and apply of every environment fail.
import { join } from "node:path";
import { attr, blocks, loadHcl, parseHclFile } from "../../tools/terraform/hcl";
import { terraformRoot } from "../../tools/terraform/readme";

beforeAll(loadHcl);

test("bootstrap enables the Service Usage API in the admin project that holds the CI service accounts", () => {
  const items = parseHclFile(join(terraformRoot, "bootstrap", "main.tf"));
  const adminServices = blocks(items, "resource").find(
    (b) => b.labels[0] === "google_project_service" && b.labels[1] === "admin",
  );
  expect(adminServices).toBeDefined();
  const forEach = attr(adminServices?.body ?? [], "for_each")?.expr ?? "";
  expect(forEach).toContain('"serviceusage.googleapis.com"');
  expect(forEach).toContain('"cloudresourcemanager.googleapis.com"');
});
