import { runAction } from "../../../tools/build-actions/src/entry";
import { run } from "./main";

runAction("terraform-plan", () => run());
