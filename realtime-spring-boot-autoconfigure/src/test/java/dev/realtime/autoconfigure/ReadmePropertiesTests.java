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

package dev.realtime.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the properties table of the README in step with the configuration metadata that
 * the build generates: every property documented, nothing documented that does not exist,
 * and every default as the metadata states it.
 */
class ReadmePropertiesTests {

	private static final Pattern ROW = Pattern.compile("^\\| `([a-z.-]+)` \\|([^|]*)\\|", Pattern.MULTILINE);

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
		String table = readme.substring(readme.indexOf("<!-- properties:start -->"),
				readme.indexOf("<!-- properties:end -->"));
		Map<String, String> properties = new LinkedHashMap<>();
		Matcher row = ROW.matcher(table);
		while (row.find()) {
			properties.put(row.group(1), row.group(2).trim());
		}
		return properties;
	}

	private static Map<String, String> metadataProperties() throws IOException {
		try (InputStream metadata = ReadmePropertiesTests.class
			.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(metadata).as("generated configuration metadata").isNotNull();
			Map<String, String> properties = new LinkedHashMap<>();
			for (JsonNode property : JsonMapper.builder().build().readTree(metadata).get("properties")) {
				JsonNode defaultValue = property.get("defaultValue");
				properties.put(property.get("name").asString(),
						(defaultValue != null) ? defaultValue.asString() : null);
			}
			return properties;
		}
	}

}
