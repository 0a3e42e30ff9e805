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

package dev.realtime.autoconfigure.endpoint;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the README's "Actuator endpoint" examples in step with what
 * {@link RealtimeEndpoint} returns: the same fields, each of a name the endpoint uses.
 *
 * @author Realtime team
 */
class ReadmeEndpointTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void theExampleOfAConnectionHasTheFieldsOfItsDescriptor() throws IOException {
		JsonNode connection = this.json.readTree(example("$ curl -s localhost:8080/actuator/realtime/default\n"));
		assertThat(fields(connection)).isEqualTo(components(RealtimeEndpoint.ConnectionDescriptor.class));
		assertThat(fields(connection.get("errorReason"))).isEqualTo(components(RealtimeEndpoint.ErrorDescriptor.class));
		assertThat(connection.get("channels")).isNotEmpty()
			.allSatisfy((channel) -> assertThat(fields(channel))
				.isEqualTo(components(RealtimeEndpoint.ChannelDescriptor.class)));
		assertThat(connection.get("stateChanges")).isNotEmpty()
			.allSatisfy((change) -> assertThat(fields(change))
				.isEqualTo(components(RealtimeEndpoint.StateChangeDescriptor.class)));
	}

	@Test
	void theExampleOfAPingHasTheFieldsOfItsDescriptor() throws IOException {
		JsonNode ping = this.json
			.readTree(example("$ curl -s -X POST localhost:8080/actuator/realtime/default/ping\n"));
		assertThat(fields(ping)).isEqualTo(components(RealtimeEndpoint.OperationDescriptor.class));
	}

	private String example(String command) throws IOException {
		String readme = Files.readString(Path.of("../README.md"));
		String section = readme.substring(readme.indexOf("\n## Actuator endpoint\n"));
		String example = section.substring(section.indexOf(command) + command.length());
		int end = example.indexOf("\n$ ");
		return (end >= 0) ? example.substring(0, end) : example.substring(0, example.indexOf("\n```"));
	}

	private static List<String> fields(JsonNode node) {
		List<String> names = new ArrayList<>(node.propertyNames());
		return names;
	}

	private static List<String> components(Class<? extends Record> type) {
		return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
	}

}
