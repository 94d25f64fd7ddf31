import { runAction } from "@shopstream/action-kit";
import { run } from "./main";

runAction("dataflow-template", () => run());
