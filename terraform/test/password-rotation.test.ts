// Only CI holds the deploy identity, so `tofu apply -replace=...` (the usual way to rotate a random_password)
// cannot be run by anyone. Rotation must therefore be a reviewed change of an input: the database user's
// random_password keeps a generation number that the root takes from the environment's tfvars.
import { join } from "node:path";
import { attr, blocks, loadHcl, parseHclFile } from "../../tools/terraform/hcl";
import { terraformRoot } from "../../tools/terraform/readme";

beforeAll(loadHcl);

test("the MongoDB password rotates when mongodb_password_generation changes (no -replace needed)", () => {
  const moduleMain = parseHclFile(join(terraformRoot, "modules", "mongodb", "main.tf"));
  const password = blocks(moduleMain, "resource").find(
    (b) => b.labels[0] === "random_password" && b.labels[1] === "database_user",
  );
  expect(attr(password?.body ?? [], "keepers")?.expr ?? "").toMatch(/var\.password_generation/);

  const rootMain = parseHclFile(join(terraformRoot, "main.tf"));
  const mongodb = blocks(rootMain, "module").find((b) => b.labels[0] === "mongodb");
  expect(attr(mongodb?.body ?? [], "password_generation")?.expr).toBe("var.mongodb_password_generation");
});
