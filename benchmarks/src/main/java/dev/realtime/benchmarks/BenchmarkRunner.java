/*
 * Copyright 2026 the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package dev.realtime.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import dev.realtime.benchmarks.codec.CodecBenchmark;
import dev.realtime.benchmarks.codec.InboundPipelineBenchmark;
import dev.realtime.benchmarks.contenders.Contenders;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs the benchmarks side by side: starts the push server in a JVM of its own, then
 * every benchmark with every contender, each run in a fresh JVM, and prints, for each
 * benchmark, each contender's figure and its ratio to the raw client measured in the same
 * run (for the connections benchmark, which the raw client does not run, this client's
 * ratio to ably-java). The tables are also written as Markdown to {@code --results}.
 * <p>
 * Run it with {@code benchmarks/run}; {@code --smoke} makes every count tiny.
 */
public final class BenchmarkRunner {

	private static final JsonMapper mapper = JsonMapper.builder().build();

	/** The id of the in-process JMH benchmark of decoding a frame. */
	private static final String CODEC = "codec";

	/** The id of the in-process JMH benchmark of the client's inbound path. */
	private static final String PIPELINE = "pipeline";

	/** The id that selects the connections benchmark at every size. */
	private static final String CONNECTIONS = "connections";

	private static final List<String> ALL_BENCHMARKS = List.of("burst-1", "burst-10", "paced", "ack", "echo", "resume",
			"resume-fin", "frozen", CONNECTIONS, CODEC, PIPELINE);

	/** The share of CPU time other processes may take before a figure is marked. */
	private static final double BUSY = 0.05;

	private final Arguments arguments;

	private final PrintStream out;

	private final String java;

	private final String classpath;

	private final List<String> jvmArgs;

	private final Path logs;

	private final Duration timeLimit;

	private int port;

	private long serverPid;

	private BenchmarkRunner(Arguments arguments, PrintStream out) throws IOException {
		this.arguments = arguments;
		this.out = out;
		this.java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		this.classpath = System.getProperty("java.class.path");
		this.jvmArgs = Arrays.stream(arguments.string("jvm-args", "-Xms1g -Xmx1g").split("\\s+"))
			.filter((arg) -> !arg.isEmpty())
			.toList();
		this.logs = Path.of(arguments.string("logs", "benchmarks/target/benchmark-logs"));
		this.timeLimit = arguments.duration("time-limit", Duration.ofSeconds(arguments.flag("smoke") ? 10 : 30));
		Files.createDirectories(this.logs);
	}

	/**
	 * Run the benchmarks.
	 * @param args see {@code benchmarks/run --help}
	 * @throws Exception if the server cannot start
	 */
	public static void main(String[] args) throws Exception {
		Arguments arguments = Arguments.parse(args);
		if (arguments.flag("help")) {
			System.out.println(HELP);
			return;
		}
		new BenchmarkRunner(arguments, System.out).run();
		System.exit(0);
	}

	private void run() throws Exception {
		boolean smoke = this.arguments.flag("smoke");
		List<Spec> specs = specs(smoke);
		List<String> contenders = this.arguments.list("contenders", Contenders.ALL);
		int rounds = this.arguments.integer("rounds", 1);
		String started = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"));
		String machine = Runtime.getRuntime().availableProcessors() + " cores, Java "
				+ System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + "), contender JVMs "
				+ String.join(" ", this.jvmArgs)
				+ specs.stream()
					.filter((spec) -> !spec.jvmArgs().isEmpty())
					.findFirst()
					.map((spec) -> " (connections runs " + String.join(" ", spec.jvmArgs()) + ")")
					.orElse("");
		this.out.println("Benchmarks " + started + " on " + machine + "; load average " + loadAverage());
		this.out.println("Logs in " + this.logs.toAbsolutePath());
		Map<Spec, Map<String, List<Result>>> results = new LinkedHashMap<>();
		Process server = specs.isEmpty() ? null : startServer();
		try {
			if (server != null && !smoke && !this.arguments.has("no-warmup")) {
				warmUpServer();
			}
			for (int round = 1; round <= rounds; round++) {
				for (Spec spec : specs) {
					for (String contender : spec.contenders(contenders)) {
						Result result = runUndisturbed(spec, contender, round);
						results.computeIfAbsent(spec, (key) -> new LinkedHashMap<>())
							.computeIfAbsent(contender, (key) -> new ArrayList<>())
							.add(result);
						this.out.printf("  %-10s %-16s %s%s%n", spec.id(), contender, spec.kind().describe(result),
								busyNote(result));
					}
				}
			}
		}
		finally {
			if (server != null) {
				stop(server);
			}
		}
		List<String> selected = this.arguments.list("benchmarks", ALL_BENCHMARKS);
		List<String> codec = selected.contains(CODEC) ? runJmh(CODEC, CodecBenchmark.class, List.of(), smoke)
				: List.of();
		List<String> pipeline = selected.contains(PIPELINE)
				? runJmh(PIPELINE, InboundPipelineBenchmark.class, List.of("-prof", "gc"), smoke) : List.of();
		String report = "Run " + started + " on " + machine + "; load average at the end " + loadAverage() + ".\n"
				+ (results.isEmpty() ? "" : report(results, contenders, rounds)) + codecReport(codec)
				+ pipelineReport(pipeline);
		this.out.println();
		this.out.println(report);
		Path file = Path.of(this.arguments.string("results", "benchmarks/target/benchmark-results.md"));
		Files.writeString(file, report);
		this.out.println("Written to " + file.toAbsolutePath());
	}

	private List<Spec> specs(boolean smoke) {
		long burst = this.arguments.number("burst-count", smoke ? 2_000 : 1_000_000);
		long burstWarmup = this.arguments.number("burst-warmup", 0);
		String warmedUp = (burstWarmup > 0) ? ", after a warm-up burst of " + count(burstWarmup) : "";
		long ack = this.arguments.number("ack-count", smoke ? 1_000 : 200_000);
		long echo = this.arguments.number("echo-count", smoke ? 100 : 10_000);
		long echoWarmup = this.arguments.number("echo-warmup", smoke ? 10 : 2_000);
		long drops = this.arguments.number("drops", smoke ? 1 : 5);
		String rates = this.arguments.string("rates",
				smoke ? "1k,2k" : "10k,25k,50k,75k,100k,150k,200k,250k,300k,400k,500k");
		String step = this.arguments.string("step", smoke ? "500ms" : "2s");
		int payload = this.arguments.integer("payload", 100);
		long freezes = this.arguments.number("freezes", smoke ? 1 : 3);
		Duration frozenIdle = this.arguments.duration("frozen-max-idle-interval",
				smoke ? Duration.ofMillis(500) : Duration.ofSeconds(5));
		Map<String, Object> frozen = new LinkedHashMap<>(Map.of("benchmark", "frozen", "freezes", freezes,
				"max-idle-interval", frozenIdle.toMillis() + "ms", "pause", smoke ? "300ms" : "1s"));
		if (this.arguments.has("frozen-request-timeout") || smoke) {
			frozen.put("request-timeout", this.arguments.string("frozen-request-timeout", "1s"));
		}
		if (smoke) {
			// How long to wait, beyond the idle timeout, for a client that never notices
			frozen.put("time-limit", "2s");
		}
		List<Spec> all = new ArrayList<>(List.of(
				new Spec("burst-1", "inbound burst, " + count(burst) + " messages, 1 per frame" + warmedUp, Kind.RATE,
						true,
						Map.of("benchmark", "burst", "count", burst, "per-frame", 1, "payload", payload, "warmup",
								burstWarmup)),
				new Spec("burst-10", "inbound burst, " + count(burst) + " messages, 10 per frame" + warmedUp, Kind.RATE,
						true,
						Map.of("benchmark", "burst", "count", burst, "per-frame", 10, "payload", payload, "warmup",
								burstWarmup)),
				new Spec("paced", "inbound paced, 1 per frame, highest rate held (" + rates + ", " + step + " each)",
						Kind.LADDER, true,
						Map.of("benchmark", "paced", "rates", rates, "step", step, "payload", payload)),
				new Spec("ack",
						"publish → ACK, " + count(ack) + " messages, 500 in flight, " + payload + "-byte payloads",
						Kind.RATE, false, Map.of("benchmark", "ack", "count", ack, "window", 500, "payload", payload)),
				new Spec("echo", "publish → own echo, " + count(echo) + " round trips, one at a time", Kind.LATENCY,
						false, Map.of("benchmark", "echo", "count", echo, "warmup", echoWarmup, "payload", payload)),
				new Spec("resume", "drop → resumed CONNECTED, server sends a close frame", Kind.RECONNECT, false,
						Map.of("benchmark", "resume", "drops", drops, "drop-mode", "close", "retry-reset-after",
								"500ms")),
				new Spec("resume-fin", "drop → resumed CONNECTED, server closes the socket without a close frame",
						Kind.RECONNECT, false,
						Map.of("benchmark", "resume", "drops", drops, "drop-mode", "fin", "retry-reset-after",
								"500ms")),
				new Spec("frozen", "frozen link → DISCONNECTED, maxIdleInterval " + Kind.millis(frozenIdle.toNanos())
						+ ((frozen.containsKey("request-timeout"))
								? ", request timeout " + frozen.get("request-timeout") : "")
						+ ", median of " + freezes, Kind.IDLE, false, frozen)));
		List<String> connectionsJvmArgs = Arrays
			.stream(this.arguments.string("connections-jvm-args", "-Xmx4g").split("\\s+"))
			.filter((arg) -> !arg.isEmpty())
			.toList();
		for (String connections : this.arguments.list("connections",
				smoke ? List.of("20") : List.of("1000", "5000", "10000"))) {
			long count = Arguments.parse("--n=" + connections).number("n", 0);
			all.add(new Spec(CONNECTIONS + "-" + count, count(count) + " idle connections in one JVM", Kind.CONNECTIONS,
					false,
					Map.of("benchmark", CONNECTIONS, "connections", count, "connect-time-limit",
							this.arguments.string("connect-time-limit", smoke ? "20s" : "2m"), "thread-reserve",
							this.arguments.number("thread-reserve", 2000), "held-idle",
							this.arguments.string("held-idle", smoke ? "1s" : "70s")),
					connectionsJvmArgs));
		}
		List<String> selected = this.arguments.list("benchmarks", ALL_BENCHMARKS);
		List<Spec> specs = new ArrayList<>();
		for (String id : selected) {
			if (id.equals(CODEC) || id.equals(PIPELINE)) {
				continue; // in-process, run after the others
			}
			List<Spec> matching = all.stream()
				.filter((spec) -> spec.id().equals(id)
						|| (id.equals(CONNECTIONS) && spec.benchmark().equals(CONNECTIONS)))
				.toList();
			if (matching.isEmpty()) {
				throw new IllegalArgumentException("Unknown benchmark '" + id + "'");
			}
			specs.addAll(matching);
		}
		return specs;
	}

	private Process startServer() throws IOException {
		List<String> command = new ArrayList<>(List.of(this.java, "-Xms512m", "-Xmx512m", "-cp", this.classpath,
				"dev.realtime.benchmarks.server.PushServer", "--host=127.0.0.1", "--port=0",
				"--max-idle-interval=" + this.arguments.string("max-idle-interval", "15s")));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		Process server = builder.start();
		BufferedReader lines = new BufferedReader(
				new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
		String line = lines.readLine();
		if (line == null || !line.startsWith("LISTENING ")) {
			server.destroyForcibly();
			throw new IllegalStateException("The push server did not start: " + line);
		}
		this.port = Integer.parseInt(line.substring("LISTENING ".length()).trim());
		this.serverPid = server.pid();
		Path log = this.logs.resolve("push-server.log");
		Thread drain = new Thread(() -> copy(lines, log), "push-server-log");
		drain.setDaemon(true);
		drain.start();
		this.out.println("Push server on port " + this.port + " (pid " + server.pid() + ")");
		return server;
	}

	private void warmUpServer() {
		this.out.println("Warming up the push server (results discarded)");
		Spec burst = new Spec("warmup-burst", "", Kind.RATE, true,
				Map.of("benchmark", "burst", "count", 500_000, "per-frame", 1, "payload", 100));
		Spec ack = new Spec("warmup-ack", "", Kind.RATE, false,
				Map.of("benchmark", "ack", "count", 50_000, "window", 500, "payload", 100));
		runContender(burst, "wire", 0);
		runContender(ack, "raw", 0);
	}

	/**
	 * Wait until the machine is quiet: other processes (a build, say) would take cores
	 * from the contender and the server, and the figures would measure them.
	 */
	private void waitForQuiet() {
		String quiet = this.arguments.string("quiet", this.arguments.flag("smoke") ? "off" : "10%");
		if (quiet.equals("off")) {
			return;
		}
		double threshold = Double.parseDouble(quiet.replace("%", "")) / 100;
		long deadline = System.nanoTime() + this.arguments.duration("quiet-timeout", Duration.ofMinutes(10)).toNanos();
		boolean waited = false;
		while (true) {
			double busy = CpuUsage.busyFraction(Duration.ofSeconds(1));
			if (busy <= threshold || busy < 0) {
				if (waited) {
					this.out.printf("  (quiet again: %.0f%% busy)%n", busy * 100);
				}
				return;
			}
			if (System.nanoTime() - deadline > 0) {
				this.out.printf("  (still %.0f%% busy after waiting; running anyway)%n", busy * 100);
				return;
			}
			if (!waited) {
				this.out.printf("  (waiting for a quiet machine: %.0f%% busy)%n", busy * 100);
				waited = true;
			}
			try {
				Thread.sleep(4000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	/**
	 * Run a contender, and run it again (up to {@code --rerun-disturbed} times) while
	 * other processes took the CPUs; keep the least disturbed result.
	 */
	private Result runUndisturbed(Spec spec, String contender, int round) {
		int reruns = this.arguments.integer("rerun-disturbed", this.arguments.flag("smoke") ? 0 : 2);
		Result result = runContender(spec, contender, round);
		Result last = result;
		for (int i = 0; i < reruns && result.otherLoad() > BUSY; i++) {
			this.out.printf("  %-10s %-9s disturbed (other processes took %.0f%% of the CPUs), running again%n",
					spec.id(), contender, last.otherLoad() * 100);
			last = runContender(spec, contender, round);
			if (last.otherLoad() < result.otherLoad()) {
				result = last;
			}
		}
		return result;
	}

	private Result runContender(Spec spec, String contender, int round) {
		waitForQuiet();
		List<String> command = new ArrayList<>();
		command.add(this.java);
		command.addAll(spec.jvmArgs().isEmpty() ? this.jvmArgs : spec.jvmArgs());
		String run = spec.id() + "-" + contender + ((round > 1) ? "-" + round : "");
		if (this.arguments.flag("jfr")) {
			command.add("-XX:StartFlightRecording=settings=profile,filename="
					+ this.logs.resolve(run + ".jfr").toAbsolutePath());
		}
		command.addAll(List.of("-cp", this.classpath, ContenderMain.class.getName(), "--contender=" + contender,
				"--host=127.0.0.1", "--port=" + this.port, "--time-limit=" + this.timeLimit.toMillis() + "ms"));
		spec.arguments().forEach((name, value) -> command.add("--" + name + "=" + value));
		Path log = this.logs.resolve(run + ".log");
		String load = loadAverage();
		CpuUsage.Snapshot before = CpuUsage.snapshot(this.serverPid);
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			long hardLimit = this.timeLimit.toSeconds() * 12 + 120;
			Thread watchdog = new Thread(() -> {
				try {
					if (!process.waitFor(hardLimit, TimeUnit.SECONDS)) {
						process.destroyForcibly();
					}
				}
				catch (InterruptedException ex) {
					process.destroyForcibly();
				}
			}, "watchdog");
			watchdog.setDaemon(true);
			watchdog.start();
			Result result = null;
			try (BufferedReader lines = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
					PrintWriter writer = new PrintWriter(Files.newBufferedWriter(log))) {
				writer.println("# " + String.join(" ", command.subList(command.indexOf("-cp") + 2, command.size())));
				writer.println("# load average before: " + load);
				String line;
				while ((line = lines.readLine()) != null) {
					writer.println(line);
					if (line.startsWith(ContenderMain.RESULT_PREFIX)) {
						result = mapper.readValue(line.substring(ContenderMain.RESULT_PREFIX.length()), Result.class);
					}
				}
				writer.println("# load average after: " + loadAverage());
			}
			process.waitFor();
			CpuUsage.Snapshot after = CpuUsage.snapshot(this.serverPid);
			if (result == null) {
				return Result.failed(spec.benchmark(), contender,
						new IllegalStateException("No result; exit code " + process.exitValue() + ", see " + log));
			}
			return (before != null && after != null)
					? result.withOtherLoad(CpuUsage.othersShare(before, after, result.cpuNanos())) : result;
		}
		catch (IOException | InterruptedException ex) {
			return Result.failed(spec.benchmark(), contender, ex);
		}
	}

	/**
	 * Run an in-process JMH benchmark in a JVM of its own (JMH forks another).
	 * @param id the benchmark's id, which names its log
	 * @param benchmark the JMH benchmark class
	 * @param options further JMH options
	 * @param smoke whether to run one short iteration only
	 * @return the lines of JMH's result table
	 */
	private List<String> runJmh(String id, Class<?> benchmark, List<String> options, boolean smoke) {
		waitForQuiet();
		this.out.printf("  %-10s JMH %s%n", id, smoke ? "(one short iteration)" : "(as the benchmark class says)");
		List<String> command = new ArrayList<>(
				List.of(this.java, "-cp", this.classpath, "org.openjdk.jmh.Main", benchmark.getName(), "-foe", "true"));
		command.addAll(options);
		if (smoke) {
			command.addAll(List.of("-wi", "0", "-i", "1", "-r", "200ms"));
		}
		String rowPrefix = benchmark.getSimpleName() + ".";
		List<String> table = new ArrayList<>();
		Path log = this.logs.resolve(id + "-jmh.log");
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			try (BufferedReader lines = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
					PrintWriter writer = new PrintWriter(Files.newBufferedWriter(log))) {
				boolean inTable = false;
				String line;
				while ((line = lines.readLine()) != null) {
					writer.println(line);
					inTable = inTable || line.startsWith("Benchmark ");
					if (inTable && line.startsWith(rowPrefix)) {
						table.add(line);
					}
				}
			}
			process.waitFor();
		}
		catch (IOException | InterruptedException ex) {
			this.out.printf("  %-10s failed: %s%n", id, ex);
		}
		table.forEach((line) -> this.out.println("  " + line));
		return table;
	}

	/**
	 * Read JMH's table: the score of each row by benchmark method (and secondary result,
	 * such as {@code client:gc.alloc.rate.norm}) and parameter.
	 */
	private static Map<String, Map<String, Double>> jmhScores(List<String> table) {
		Map<String, Map<String, Double>> scores = new LinkedHashMap<>();
		for (String line : table) {
			String[] tokens = line.trim().split("\\s+");
			int mode = Arrays.asList(tokens).indexOf("avgt");
			if (mode < 2) {
				continue;
			}
			String score = (tokens.length - mode > 3) ? tokens[mode + 2] : tokens[mode + 1];
			String method = tokens[0].substring(tokens[0].indexOf('.') + 1);
			try {
				scores.computeIfAbsent(method, (key) -> new LinkedHashMap<>())
					.put(tokens[1], Double.parseDouble(score));
			}
			catch (NumberFormatException ex) {
				// A score JMH could not measure, such as "≈ 10⁻⁴"
			}
		}
		return scores;
	}

	/**
	 * Turn JMH's table into Markdown: a row per decoder, a column per frame size.
	 */
	private static String codecReport(List<String> table) {
		if (table.isEmpty()) {
			return "";
		}
		Map<String, Map<String, String>> scores = new LinkedHashMap<>();
		jmhScores(table).forEach((decoder, byFrame) -> byFrame
			.forEach((perFrame, nanos) -> scores.computeIfAbsent(decoder, (key) -> new LinkedHashMap<>())
				.put(perFrame, String.format("%.2f µs", nanos / 1000))));
		StringBuilder report = new StringBuilder(
				"\nIn-process, decoding one MESSAGE frame of the push server (JMH, average time per frame):\n\n");
		report.append("| decoder | 1 message per frame | 10 messages per frame |\n|---|---|---|\n");
		scores.forEach((decoder, byFrame) -> report.append("| ").append(switch (decoder) {
			case "tree" -> "Jackson tree (`readTree`), as the raw client";
			case "protocolCodec" -> "`ProtocolCodec.decode`, as this client";
			case "objectReader" -> "prebuilt `ObjectReader` for `ProtocolMessage`";
			default -> decoder;
		})
			.append(" | ")
			.append(byFrame.getOrDefault("1", "—"))
			.append(" | ")
			.append(byFrame.getOrDefault("10", "—"))
			.append(" |\n"));
		return report.toString();
	}

	/**
	 * Turn the pipeline benchmark's JMH table into Markdown: a row per path, a column per
	 * frame size, with the time and the bytes allocated per frame.
	 */
	private static String pipelineReport(List<String> table) {
		Map<String, Map<String, Double>> scores = jmhScores(table);
		if (scores.isEmpty()) {
			return "";
		}
		StringBuilder report = new StringBuilder(
				"\nIn-process, the inbound path without the network (JMH, average time "
						+ "and bytes allocated per frame, all threads; in brackets, the ratio to the raw client's work):\n\n");
		report.append("| path | 1 message per frame | 10 messages per frame |\n|---|---|---|\n");
		for (String path : List.of("jacksonTree", "client")) {
			report.append("| ")
				.append(path.equals("client")
						? "this client: decoded on the reader's thread, handed to the actor and the subscriber's lane"
						: "the raw client's work: a Jackson tree per frame, on the reader's thread")
				.append(" |");
			for (String perFrame : List.of("1", "10")) {
				report.append(' ').append(pipelineCell(scores, path, perFrame)).append(" |");
			}
			report.append('\n');
		}
		return report.toString();
	}

	private static String pipelineCell(Map<String, Map<String, Double>> scores, String path, String perFrame) {
		Double nanos = scores.getOrDefault(path, Map.of()).get(perFrame);
		if (nanos == null) {
			return "—";
		}
		Double allocated = scores.getOrDefault(path + ":gc.alloc.rate.norm", Map.of()).get(perFrame);
		Double base = scores.getOrDefault("jacksonTree", Map.of()).get(perFrame);
		return String.format("%.2f µs", nanos / 1000)
				+ ((base != null && !path.equals("jacksonTree")) ? String.format(" (%.2f×)", nanos / base) : "")
				+ ((allocated != null) ? String.format(", %,.0f B", allocated) : "");
	}

	private static void stop(Process server) throws InterruptedException {
		try {
			server.getOutputStream().close();
		}
		catch (IOException ex) {
			// Stopping anyway
		}
		if (!server.waitFor(5, TimeUnit.SECONDS)) {
			server.destroyForcibly();
		}
	}

	private static void copy(BufferedReader lines, Path log) {
		try (PrintWriter writer = new PrintWriter(Files.newBufferedWriter(log), true)) {
			String line;
			while ((line = lines.readLine()) != null) {
				writer.println(line);
			}
		}
		catch (IOException ex) {
			// The server ended
		}
	}

	private String report(Map<Spec, Map<String, List<Result>>> results, List<String> contenders, int rounds) {
		StringBuilder report = new StringBuilder();
		report.append("\nThe push server and each contender in a JVM of its own, over loopback")
			.append((rounds > 1) ? "; each figure the median of " + rounds + " rounds" : "")
			.append(". In brackets, the ratio to the raw client measured in the same run")
			.append(results.keySet().stream().anyMatch((spec) -> spec.kind() == Kind.CONNECTIONS)
					? "; for idle connections, which the raw client does not hold, this client's ratio to ably-java"
					: "")
			.append(".\n\n");
		List<String> columns = columns(results, contenders);
		report.append("| measure |");
		columns.forEach((contender) -> report.append(' ').append(Contenders.label(contender)).append(" |"));
		report.append("\n|---|");
		columns.forEach((contender) -> report.append("---|"));
		report.append('\n');
		results.forEach((spec, byContender) -> {
			String reference = spec.kind().reference();
			Result base = median(spec.kind(), byContender.get(reference));
			report.append("| ").append(spec.title()).append(" |");
			for (String contender : columns) {
				Result result = median(spec.kind(), byContender.get(contender));
				report.append(' ')
					.append((result != null) ? spec.kind().cell(result, contender.equals(reference) ? null : base)
							: "—")
					.append((result != null && result.otherLoad() > BUSY) ? " ‡" : "")
					.append(" |");
			}
			report.append('\n');
		});
		boolean busy = results.values()
			.stream()
			.flatMap((byContender) -> byContender.values().stream())
			.flatMap(List::stream)
			.anyMatch((result) -> result.otherLoad() > BUSY);
		if (busy) {
			report.append(String.format("%n‡ other processes took more than %.0f%% of the CPUs during that run.%n",
					BUSY * 100));
		}
		report.append("\nDetails:\n\n");
		results.forEach((spec, byContender) -> {
			String reference = spec.kind().reference();
			Result base = median(spec.kind(), byContender.get(reference));
			report.append("- ").append(spec.title()).append(":\n");
			byContender.forEach((contender, list) -> {
				Result result = Objects.requireNonNull(median(spec.kind(), list));
				report.append("  - ")
					.append(Contenders.label(contender))
					.append(": ")
					.append(spec.kind().describe(result));
				if (base != null && base.done() > 0 && !contender.equals(reference)) {
					report.append(" (").append(spec.kind().ratio(result, base)).append(')');
				}
				report.append(busyNote(result)).append('\n');
			});
		});
		return report.toString();
	}

	/**
	 * The contenders of the table: those selected, and after this client a variant of it
	 * that some benchmarks run beside it.
	 */
	private static List<String> columns(Map<Spec, Map<String, List<Result>>> results, List<String> selected) {
		List<String> columns = new ArrayList<>(selected);
		boolean bundled = results.values()
			.stream()
			.anyMatch((byContender) -> byContender.containsKey(Contenders.BUNDLED));
		if (bundled && !columns.contains(Contenders.BUNDLED)) {
			columns.add(columns.indexOf("realtime") + 1, Contenders.BUNDLED);
		}
		return columns;
	}

	private static String busyNote(Result result) {
		return (result.otherLoad() > BUSY)
				? String.format(" [other processes took %.0f%% of the CPUs]", result.otherLoad() * 100) : "";
	}

	private static @Nullable Result median(Kind kind, @Nullable List<Result> results) {
		if (results == null || results.isEmpty()) {
			return null;
		}
		List<Result> sorted = new ArrayList<>(results);
		sorted.sort(Comparator.comparingDouble(kind::primary));
		return sorted.get(sorted.size() / 2);
	}

	private static String loadAverage() {
		double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
		return (load >= 0) ? String.format("%.2f", load) : "n/a";
	}

	static String count(long count) {
		return String.format("%,d", count);
	}

	/**
	 * One benchmark as the runner schedules it.
	 *
	 * @param id the id on the command line
	 * @param title the title in the tables
	 * @param kind how its figures read
	 * @param inbound whether the wire reference runs too
	 * @param arguments the arguments of the contender JVM
	 * @param jvmArgs the options of the contender JVM, empty for the runner's
	 * {@code --jvm-args}
	 */
	record Spec(String id, String title, Kind kind, boolean inbound, Map<String, Object> arguments,
			List<String> jvmArgs) {

		Spec(String id, String title, Kind kind, boolean inbound, Map<String, Object> arguments) {
			this(id, title, kind, inbound, arguments, List.of());
		}

		String benchmark() {
			return String.valueOf(this.arguments.get("benchmark"));
		}

		List<String> contenders(List<String> selected) {
			List<String> contenders = new ArrayList<>();
			if (this.inbound && selected.contains("raw")) {
				contenders.add("wire");
			}
			contenders.addAll(selected);
			int realtime = contenders.indexOf("realtime");
			if (this.id.equals("ack") && realtime >= 0 && !contenders.contains(Contenders.BUNDLED)) {
				// Bundling is off by default; what it gains shows beside
				contenders.add(realtime + 1, Contenders.BUNDLED);
			}
			if (this.kind == Kind.CONNECTIONS) {
				// Many clients of one kind: this client and ably-java only
				contenders.removeIf((contender) -> !contender.equals("realtime") && !contender.equals("ably"));
			}
			return contenders;
		}

	}

	/**
	 * How the figures of a benchmark read.
	 */
	enum Kind {

		/** Messages per second, higher is better. */
		RATE {

			@Override
			double primary(Result result) {
				return result.rate();
			}

			@Override
			String figure(Result result) {
				return rate(result.rate());
			}

			@Override
			String ratio(Result result, Result raw) {
				return times(result.rate() / raw.rate());
			}

			@Override
			String details(Result result) {
				StringBuilder details = new StringBuilder();
				if (!result.complete()) {
					details.append(count(result.done()))
						.append(" of ")
						.append(count(result.expected()))
						.append(" within the time limit; ");
				}
				details.append(result.disconnects()).append(" disconnects");
				return details.toString();
			}

		},

		/** The highest paced rate held, higher is better. */
		LADDER {

			@Override
			double primary(Result result) {
				return result.rate();
			}

			@Override
			String figure(Result result) {
				return (result.rate() > 0) ? rate(result.rate()) : "none held";
			}

			@Override
			String ratio(Result result, Result raw) {
				return (raw.rate() > 0) ? times(result.rate() / raw.rate()) : "n/a";
			}

			@Override
			String details(Result result) {
				return String.valueOf(result.note());
			}

		},

		/** Round-trip latency, lower is better. */
		LATENCY {

			@Override
			double primary(Result result) {
				return result.medianNanos();
			}

			@Override
			String figure(Result result) {
				return micros(result.medianNanos()) + " / " + micros(result.p99Nanos());
			}

			@Override
			String ratio(Result result, Result raw) {
				return times((double) result.medianNanos() / raw.medianNanos()) + " / "
						+ times((double) result.p99Nanos() / raw.p99Nanos());
			}

			@Override
			String details(Result result) {
				return "median / p99; max " + micros(result.maxNanos()) + "; " + result.done() + " round trips"
						+ (result.complete() ? "" : " (incomplete)") + "; " + result.disconnects() + " disconnects";
			}

		},

		/** Time to reconnect, lower is better. */
		RECONNECT {

			@Override
			double primary(Result result) {
				return (result.done() > 0) ? result.medianNanos() : Double.MAX_VALUE;
			}

			@Override
			String figure(Result result) {
				return (result.done() > 0) ? millis(result.medianNanos()) : "not reconnected";
			}

			@Override
			String ratio(Result result, Result raw) {
				return times((double) result.medianNanos() / raw.medianNanos());
			}

			@Override
			String details(Result result) {
				return "median of " + result.done() + " drops, max " + millis(result.maxNanos()) + "; "
						+ result.resumed() + " of " + result.done() + " resumed the same connection"
						+ (result.complete() ? "" : "; " + result.note());
			}

		},

		/** Time from a frozen link to DISCONNECTED, lower is better. */
		IDLE {

			@Override
			double primary(Result result) {
				return (result.done() > 0) ? result.medianNanos() : Double.MAX_VALUE;
			}

			@Override
			String figure(Result result) {
				return (result.done() > 0) ? millis(result.medianNanos())
						: "not detected in " + millis(result.elapsedNanos());
			}

			@Override
			String ratio(Result result, Result raw) {
				return (result.done() > 0) ? times((double) result.medianNanos() / raw.medianNanos()) : "n/a";
			}

			@Override
			String details(Result result) {
				return "median of " + result.done() + " of " + result.expected() + " freezes, max "
						+ millis(result.maxNanos()) + "; " + result.note();
			}

		},

		/**
		 * Many idle connections in one JVM: how many connected and how fast, and what
		 * they cost; less is better. Compared with ably-java, as the raw client does not
		 * take part.
		 */
		CONNECTIONS {

			@Override
			String reference() {
				return "ably";
			}

			@Override
			double primary(Result result) {
				return (result.done() > 0) ? result.elapsedNanos() - result.done() * 1e12 : Double.MAX_VALUE;
			}

			@Override
			String figure(Result result) {
				Result.Footprint footprint = result.footprint();
				String held = result.complete() ? count(result.done()) + " in " + millis(result.elapsedNanos())
						: count(result.done()) + " of " + count(result.expected()) + " connected";
				if (footprint == null) {
					return held;
				}
				String figure = held + "; " + footprint.threads() + " threads; " + bytes(footprint.heapPerConnection())
						+ " heap, " + bytes(footprint.rssPerConnection()) + " RSS per connection";
				if (footprint.heldIdleSeconds() > 0) {
					figure += "; held idle " + footprint.heldIdleSeconds() + " s: " + footprint.idleThreads()
							+ " threads, " + bytes(footprint.idleHeapPerConnection()) + " heap per connection";
				}
				return figure;
			}

			@Override
			String ratio(Result result, Result ably) {
				Result.Footprint footprint = result.footprint();
				Result.Footprint reference = ably.footprint();
				if (footprint == null || reference == null) {
					return "n/a";
				}
				String time = (result.complete() && ably.complete())
						? times((double) result.elapsedNanos() / ably.elapsedNanos()) : "n/a";
				String ratio = "vs ably-java: time " + time + ", threads "
						+ times((double) footprint.threads() / reference.threads()) + ", heap "
						+ times((double) footprint.heapPerConnection() / reference.heapPerConnection()) + ", RSS "
						+ times((double) footprint.rssPerConnection() / reference.rssPerConnection());
				if (footprint.heldIdleSeconds() > 0 && reference.heldIdleSeconds() > 0) {
					ratio += "; held idle: threads " + times((double) footprint.idleThreads() / reference.idleThreads())
							+ ", heap "
							+ times((double) footprint.idleHeapPerConnection() / reference.idleHeapPerConnection());
				}
				return ratio;
			}

			@Override
			String details(Result result) {
				Result.Footprint footprint = result.footprint();
				String details = result.disconnects() + " disconnects";
				if (footprint != null) {
					details = count(footprint.connections()) + " clients created; " + footprint.threads()
							+ " live threads (" + footprint.baselineThreads() + " before the first client, peak "
							+ footprint.peakThreads()
							+ "); heap after a full GC and RSS beyond the baseline, per client; " + details;
				}
				return (result.note() != null) ? details + "; " + result.note() : details;
			}

		};

		/**
		 * Return the contender the others are compared with.
		 * @return the contender's name
		 */
		String reference() {
			return "raw";
		}

		abstract double primary(Result result);

		abstract String figure(Result result);

		abstract String ratio(Result result, Result raw);

		abstract String details(Result result);

		String describe(Result result) {
			if (result.done() == 0 && result.note() != null && result.expected() == 0) {
				return "failed: " + result.note();
			}
			return figure(result) + "; " + details(result);
		}

		String cell(Result result, @Nullable Result raw) {
			if (result.done() == 0 && result.expected() == 0) {
				return "failed";
			}
			String cell = figure(result);
			if (raw != null && raw.done() > 0) {
				cell += " (" + ratio(result, raw) + ")";
			}
			if (this == RATE && (!result.complete() || result.disconnects() > 0)) {
				cell += ", " + details(result);
			}
			return cell;
		}

		static String rate(double rate) {
			if (rate >= 10_000) {
				return String.format("%,.0fk msgs/s", rate / 1000);
			}
			return (rate >= 1000) ? String.format("%.1fk msgs/s", rate / 1000) : String.format("%.0f msgs/s", rate);
		}

		static String times(double ratio) {
			return (ratio >= 0.1 || ratio == 0) ? String.format("%.2f×", ratio) : String.format("%.3f×", ratio);
		}

		static String micros(long nanos) {
			return (nanos >= 1_000_000) ? String.format("%.2f ms", nanos / 1e6) : String.format("%d µs", nanos / 1000);
		}

		static String bytes(long bytes) {
			return (Math.abs(bytes) >= 10 * 1024 * 1024) ? String.format("%,.1f MiB", bytes / (1024.0 * 1024))
					: String.format("%,.1f KiB", bytes / 1024.0);
		}

		static String millis(long nanos) {
			return (nanos >= 1_000_000_000) ? String.format("%.2f s", nanos / 1e9)
					: String.format("%.1f ms", nanos / 1e6);
		}

	}

	private static final String HELP = """
			Runs the push server and every contender side by side, each in a JVM of its own.

			  benchmarks/run [options]

			  --smoke                 tiny counts: a check that everything runs, in seconds
			  --benchmarks=LIST       burst-1,burst-10,paced,ack,echo,resume,resume-fin,frozen,connections,codec,
			                          pipeline (default: all; codec and pipeline are in-process JMH benchmarks:
			                          decoding a frame, and the client's inbound path without the network)
			  --contenders=LIST       raw,realtime,ably (default: all; raw is the ratio base, but connections runs
			                          realtime and ably only and compares this client with ably-java; ack runs
			                          realtime-bundled, this client with bundling on, after realtime)
			  --rounds=N              run everything N times and report the median (default 1)
			  --burst-count=N         messages per inbound burst (default 1,000,000)
			  --burst-warmup=N        messages of a burst on another channel, in the same JVM, before the one
			                          measured, so that the JIT has compiled each contender's path (default 0)
			  --rates=LIST            paced rates, messages per second (default 10k,25k,50k,...,500k)
			  --step=DURATION         how long each paced rate runs (default 2s)
			  --ack-count=N           messages published in the ACK benchmark (default 200,000)
			  --echo-count=N          round trips measured (default 10,000, after --echo-warmup=2,000)
			  --drops=N               drops per contender in the resume benchmarks (default 5)
			  --freezes=N             frozen links per contender in the frozen benchmark (default 3): the server
			                          stops writing and reading on the connection without closing it, and the
			                          figure is the time until the client reports DISCONNECTED
			  --frozen-max-idle-interval=D
			                          the maxIdleInterval the server gives every contender in the frozen
			                          benchmark (default 5s, 500ms with --smoke); each client adds its request
			                          timeout, and the report says which idle timeout each applied
			  --frozen-request-timeout=D
			                          the request timeout of every client in the frozen benchmark (default: each
			                          client's own, 10 s; 1s with --smoke)
			  --connections=LIST      clients held at once in one JVM, one run per count (default 1000,5000,10000;
			                          20 with --smoke): this client with one shared scheduler of 3 threads (as
			                          the auto-configuration) and the builder's defaults, ably-java with one
			                          AblyRealtime per connection; reports time to connect them all, live
			                          threads, heap after GC and RSS per connection
			  --connections-jvm-args="..."
			                          JVM options of the connections runs (default "-Xmx4g")
			  --connect-time-limit=D  how long the connections may take to connect (default 2m, 20s with --smoke)
			  --held-idle=D           then hold the connections idle that long and count threads and heap again,
			                          once pools that grew while they opened have shrunk (default 70s: idle
			                          pool threads go after at most 60 s; 1s with --smoke; 0 to skip)
			  --thread-reserve=N      stop opening connections while fewer than N threads are left on the machine
			                          (pid_max, threads-max, the cgroup's pids.max), so that a client with threads
			                          per connection does not starve other processes (default 2000); the push
			                          server has a thread per connection too. Each connection takes a file
			                          descriptor in the contender and one in the server: 10,000 connections need
			                          ulimit -n above 10,000 in both (20,000 here is enough)
			  --payload=N             characters of data per message (default 100)
			  --time-limit=DURATION   per contender run, or per drop (default 30s)
			  --max-idle-interval=D   the server's maxIdleInterval (default 15s, as Ably's)
			  --jvm-args="..."        contender JVM options (default "-Xms1g -Xmx1g")
			  --jfr                   record each contender JVM with Java Flight Recorder (profile settings),
			                          next to its log
			  --rerun-disturbed=N     run again, up to N times, a run during which other processes took more
			                          than 5% of the CPUs, and keep the least disturbed (default 2, 0 with --smoke)
			  --no-warmup             skip warming up the push server
			  --quiet=PERCENT         before each run, wait until the CPUs are at most this busy (default 10%,
			                          off with --smoke or --quiet=off), at most --quiet-timeout=10m
			  --results=FILE          Markdown report (default benchmarks/target/benchmark-results.md)
			  --logs=DIR              one log per run (default benchmarks/target/benchmark-logs)
			""";

}
