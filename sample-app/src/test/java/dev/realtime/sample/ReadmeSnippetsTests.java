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

package dev.realtime.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the README's code snippets in step with the tests that compile and run them. A
 * Java or YAML snippet right after a {@code <!-- snippet: path -->} comment must be in
 * the file at that path (from the root of the project) line by line and in order. The
 * file may have more lines, such as its imports or a setting only the sample needs, and
 * its class may have another name.
 */
class ReadmeSnippetsTests {

	private static final Pattern SNIPPET = Pattern.compile("<!-- snippet: (\\S+) -->\\n```(?:java|yaml)\\n(.*?)```",
			Pattern.DOTALL);

	private static final Pattern CLASS_DECLARATION = Pattern.compile("^class \\w+ \\{$");

	@Test
	void everySnippetIsInTheTestThatRunsIt() throws IOException {
		String readme = Files.readString(Path.of("../README.md"));
		Matcher snippet = SNIPPET.matcher(readme);
		int snippets = 0;
		while (snippet.find()) {
			snippets++;
			Path source = Path.of("..").resolve(snippet.group(1));
			assertThat(normalize(Files.readAllLines(source))).as(snippet.group(1))
				.containsSubsequence(normalize(snippet.group(2).lines().toList()));
		}
		assertThat(snippets).as("checked snippets").isGreaterThanOrEqualTo(4);
	}

	private static List<String> normalize(List<String> lines) {
		return lines.stream().map((line) -> CLASS_DECLARATION.matcher(line).matches() ? "class … {" : line).toList();
	}

}
