import { runAction } from "../../../tools/build-actions/src/entry";
import { run } from "./main";

runAction("terraform-apply", () => run());
