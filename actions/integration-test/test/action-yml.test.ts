import { join } from "node:path";
import { actionYmlProblems } from "@shopstream/action-kit/testing";
import { INPUTS } from "../src/inputs";

it("action.yml declares exactly the input table's inputs, required flags and defaults", () => {
  expect(actionYmlProblems(INPUTS, join(__dirname, "..", "action.yml"))).toEqual([]);
});
