import { runAction } from "../../../tools/build-actions/src/entry";
import { run } from "./main";

runAction("slack-notify", () => run());
