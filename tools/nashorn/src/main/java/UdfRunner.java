/*
 * UdfRunner: evaluates JavaScript UDF bundles in standalone OpenJDK Nashorn (nashorn-core 15.4), the engine the
 * Google-provided Dataflow templates run UDFs in, and serves many requests from one JVM.
 *
 * Engines are created like the templates' JavascriptTextTransformer does (a JSR-223 Nashorn engine, every
 * matched .js file evaluated into it, then Invocable.invokeFunction(name, payload)); options such as
 * --language=es6 can be passed per engine.
 *
 * Protocol: one request per stdin line, one response per stdout line, fields separated by TAB. Strings
 * travel as base64 of UTF-16BE so that every JavaScript string (any code unit) round-trips exactly.
 *   L <engine> <options|-> <script path>                 -> OK | ERR <b64 message>
 *   C <engine> <function> <nowMs|-> <b64 input>           -> STRING <b64 output>
 *                                                          | NULL                 (null or undefined: dropped)
 *                                                          | NONSTRING <class>    (template dead-letters it)
 *                                                          | ERROR <b64 js message> <b64 java message>
 *   B <engine> <function> <nowMs> <warmup> <iterations> <b64 input>[,<b64 input>...]
 *                                                          -> BENCH <nanoseconds per call> <outputs checksum>
 */
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.script.Invocable;
import javax.script.ScriptEngine;
import javax.script.ScriptException;
import org.openjdk.nashorn.api.scripting.NashornException;
import org.openjdk.nashorn.api.scripting.NashornScriptEngineFactory;
import org.openjdk.nashorn.api.scripting.ScriptObjectMirror;

public final class UdfRunner {
  private static final Map<String, ScriptEngine> ENGINES = new HashMap<>();

  private static String encode(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_16BE));
  }

  private static String decode(String value) {
    return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_16BE);
  }

  private static Object invoke(Invocable invocable, String function, String input, String now)
      throws ScriptException, NoSuchMethodException {
    if (now.equals("-")) return invocable.invokeFunction(function, input);
    return invocable.invokeFunction(function, input, Double.valueOf(now));
  }

  /** The message of the JavaScript value that was thrown (Error.message), else the Java message. */
  private static String jsMessage(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof NashornException) {
        Object thrown = ((NashornException) t).getEcmaError();
        if (thrown instanceof ScriptObjectMirror) {
          Object message = ((ScriptObjectMirror) thrown).get("message");
          if (message != null) return String.valueOf(message);
        }
        if (thrown != null) return String.valueOf(thrown);
      }
    }
    return String.valueOf(error.getMessage());
  }

  private static String call(String[] f) {
    ScriptEngine engine = ENGINES.get(f[1]);
    if (engine == null) return "ERROR\t" + encode("no engine " + f[1]) + "\t" + encode("");
    try {
      Object result = invoke((Invocable) engine, f[2], decode(f[4]), f[3]);
      if (result == null || ScriptObjectMirror.isUndefined(result)) return "NULL";
      if (result instanceof String) return "STRING\t" + encode((String) result);
      return "NONSTRING\t" + result.getClass().getName();
    } catch (Throwable e) {
      // The templates catch Throwable too (a UDF can raise StackOverflowError) and dead-letter the message.
      return "ERROR\t" + encode(jsMessage(e)) + "\t" + encode(String.valueOf(e.getMessage()));
    }
  }

  /** One call as the template makes it, a throw included (the dead-letter path costs CPU too). */
  private static long timedCall(Invocable invocable, String function, String input, String now) {
    try {
      Object out = invoke(invocable, function, input, now);
      return out == null ? 0 : out.hashCode();
    } catch (Exception e) {
      return 1;
    }
  }

  private static String bench(String[] f) throws Exception {
    Invocable invocable = (Invocable) ENGINES.get(f[1]);
    String function = f[2];
    String now = f[3];
    int warmup = Integer.parseInt(f[4]);
    int iterations = Integer.parseInt(f[5]);
    String[] encoded = f[6].split(",");
    String[] inputs = new String[encoded.length];
    for (int i = 0; i < encoded.length; i++) inputs[i] = decode(encoded[i]);
    long checksum = 0;
    for (int i = 0; i < warmup; i++) checksum += timedCall(invocable, function, inputs[i % inputs.length], now);
    long start = System.nanoTime();
    for (int i = 0; i < iterations; i++) {
      checksum += timedCall(invocable, function, inputs[i % inputs.length], now);
    }
    long elapsed = System.nanoTime() - start;
    return "BENCH\t" + ((double) elapsed / iterations) + "\t" + checksum;
  }

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    NashornScriptEngineFactory factory = new NashornScriptEngineFactory();
    out.println("READY\t" + factory.getEngineName() + " " + factory.getEngineVersion());
    out.flush();
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isEmpty()) continue;
      String[] f = line.split("\t", -1);
      String response;
      try {
        switch (f[0]) {
          case "L": {
            String[] options = f[2].equals("-") ? new String[0] : f[2].split(",");
            ScriptEngine engine = factory.getScriptEngine(options);
            engine.eval(new String(Files.readAllBytes(Paths.get(f[3])), StandardCharsets.UTF_8));
            ENGINES.put(f[1], engine);
            response = "OK";
            break;
          }
          case "C":
            response = call(f);
            break;
          case "B":
            response = bench(f);
            break;
          default:
            response = "ERR\t" + encode("unknown request " + f[0]);
        }
      } catch (Throwable e) {
        response = "ERR\t" + encode(String.valueOf(e.getMessage()));
      }
      out.println(response);
      out.flush();
    }
  }
}
