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

package dev.realtime.test.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RealtimeTestServerProperties}: each property has an attribute of
 * {@link AutoConfigureRealtimeServer @AutoConfigureRealtimeServer}, and the README's
 * table documents each with the default that the generated metadata states.
 *
 * @author Realtime team
 */
class RealtimeTestServerPropertiesTests {

	private static final String PREFIX = "realtime.test.server.";

	private static final Pattern ROW = Pattern.compile("^\\| `([a-z.-]+)` \\|([^|]*)\\|", Pattern.MULTILINE);

	@Test
	void everyPropertyIsAnAttributeOfTheAnnotation() throws IOException {
		assertThat(Arrays.stream(AutoConfigureRealtimeServer.class.getDeclaredMethods()).map(Method::getName))
			.containsExactlyInAnyOrderElementsOf(metadataProperties().keySet()
				.stream()
				.map((name) -> toCamelCase(name.substring(PREFIX.length())))
				.toList());
	}

	@Test
	void theReadmeDocumentsEveryPropertyWithItsDefault() throws IOException {
		Map<String, String> documented = documentedProperties();
		Map<String, String> metadata = metadataProperties();
		assertThat(documented.keySet()).containsExactlyInAnyOrderElementsOf(metadata.keySet());
		metadata.forEach((name, defaultValue) -> {
			if (defaultValue != null) {
				assertThat(documented.get(name)).as("default of %s", name).isEqualTo("`" + defaultValue + "`");
			}
		});
	}

	private static Map<String, String> documentedProperties() throws IOException {
		String readme = Files.readString(Path.of("../README.md"));
		String table = readme.substring(readme.indexOf("<!-- test-server-properties:start -->"),
				readme.indexOf("<!-- test-server-properties:end -->"));
		Map<String, String> properties = new LinkedHashMap<>();
		Matcher row = ROW.matcher(table);
		while (row.find()) {
			properties.put(row.group(1), row.group(2).trim());
		}
		return properties;
	}

	private static Map<String, String> metadataProperties() throws IOException {
		Map<String, String> properties = new LinkedHashMap<>();
		for (URL url : Collections.list(RealtimeTestServerPropertiesTests.class.getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json"))) {
			try (InputStream metadata = url.openStream()) {
				for (JsonNode property : JsonMapper.builder().build().readTree(metadata).get("properties")) {
					String name = property.get("name").asString();
					if (name.startsWith(PREFIX)) {
						JsonNode defaultValue = property.get("defaultValue");
						properties.put(name, (defaultValue != null) ? defaultValue.asString() : null);
					}
				}
			}
		}
		assertThat(properties).as("generated configuration metadata").isNotEmpty();
		return properties;
	}

	private static String toCamelCase(String dashed) {
		StringBuilder camelCase = new StringBuilder();
		for (String part : dashed.split("-")) {
			camelCase.append(camelCase.isEmpty() ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
		}
		return camelCase.toString();
	}

}
