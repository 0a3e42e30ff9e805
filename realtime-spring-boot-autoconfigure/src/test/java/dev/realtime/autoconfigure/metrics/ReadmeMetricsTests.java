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

package dev.realtime.autoconfigure.metrics;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import dev.realtime.client.RealtimeClient;
import dev.realtime.client.RealtimeClientOptions;
import dev.realtime.client.VirtualTimeScheduler;
import dev.realtime.client.transport.FakeTransportFactory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the README's "Metrics" table in step with the meters that
 * {@link RealtimeClientMetrics} registers: the same names, types and tags.
 *
 * @author Realtime team
 */
class ReadmeMetricsTests {

	@Test
	void theMetricsTableListsEveryMeterWithItsTypeAndTags() throws IOException {
		assertThat(documented()).isEqualTo(registered());
	}

	private Map<String, String> documented() throws IOException {
		String readme = Files.readString(Path.of("../README.md"));
		String section = readme.substring(readme.indexOf("\n## Metrics\n"));
		section = section.substring(0, section.indexOf("\n## ", 1));
		Map<String, String> rows = new TreeMap<>();
		section.lines().filter((line) -> line.startsWith("| `realtime.")).forEach((line) -> {
			String[] cells = line.split("\\|");
			String name = cells[1].trim().replace("`", "");
			String tags = Arrays.stream(cells[3].split(","))
				.map((tag) -> tag.trim().replace("`", ""))
				.filter((tag) -> !tag.isEmpty())
				.collect(Collectors.toCollection(TreeSet::new))
				.toString();
			rows.put(name, cells[2].trim() + " " + tags);
		});
		return rows;
	}

	private Map<String, String> registered() {
		VirtualTimeScheduler scheduler = new VirtualTimeScheduler();
		FakeTransportFactory transports = new FakeTransportFactory();
		RealtimeClient client = RealtimeClient
			.builder(RealtimeClientOptions.builder(URI.create("ws://realtime.example/")).key("app.key:secret").build())
			.scheduler(scheduler)
			.ticker(scheduler.ticker())
			.callbackExecutor(scheduler.executor())
			.completionExecutor(scheduler.executor())
			.transportFactory(transports)
			.random(new SplittableRandom(42))
			.build();
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		new RealtimeClientMetrics(client).bindTo(registry);
		// An error, so that realtime.connection.errors exists
		client.connection().connect();
		scheduler.runDueTasks();
		transports.last().receive(FakeTransportFactory.error(40101, 401, "Invalid key"));
		scheduler.runDueTasks();
		Map<String, String> meters = new TreeMap<>();
		registry.getMeters()
			.stream()
			.filter((meter) -> !meter.getId().getName().endsWith(".percentile"))
			.forEach((meter) -> meters.merge(meter.getId().getName(), type(meter) + " " + tagKeys(meter),
					(first, second) -> first));
		return meters;
	}

	private static String type(Meter meter) {
		if (meter instanceof Gauge) {
			return "gauge";
		}
		if (meter instanceof Counter || meter instanceof FunctionCounter) {
			return "counter";
		}
		if (meter instanceof Timer) {
			return "timer";
		}
		return meter.getClass().getSimpleName();
	}

	private static String tagKeys(Meter meter) {
		return meter.getId()
			.getTags()
			.stream()
			.map(Tag::getKey)
			.collect(Collectors.toCollection(TreeSet::new))
			.toString();
	}

}
