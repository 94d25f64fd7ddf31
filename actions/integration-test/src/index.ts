import { runAction } from "../../../tools/build-actions/src/entry";
import { run } from "./main";

runAction("integration-test", () => run());
