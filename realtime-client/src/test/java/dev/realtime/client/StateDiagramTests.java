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

package dev.realtime.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connection's legal moves are data ({@link ConnectionStateTransitions}), and the
 * README's state diagram is that data: one cannot change without the other.
 */
class StateDiagramTests {

	private static final Pattern ARROW = Pattern.compile("^\\s*([A-Z]+) --> ([A-Z]+)");

	@Test
	void theReadmesConnectionStateDiagramShowsExactlyTheLegalTransitions() throws IOException {
		String readme = Files.readString(Path.of("..", "README.md"));
		int start = readme.indexOf("stateDiagram-v2", readme.indexOf("## Connection lifecycle"));
		String diagram = readme.substring(start, readme.indexOf("```", start));
		Set<String> drawn = new TreeSet<>();
		for (String line : diagram.split("\n")) {
			Matcher arrow = ARROW.matcher(line);
			if (arrow.find()) {
				drawn.add(arrow.group(1) + " -> " + arrow.group(2));
			}
		}
		Set<String> legal = new TreeSet<>();
		for (ConnectionState from : ConnectionState.values()) {
			for (ConnectionState to : ConnectionState.values()) {
				if (ConnectionStateTransitions.isAllowed(from, to)) {
					legal.add(from + " -> " + to);
				}
			}
		}
		assertThat(drawn).isNotEmpty().isEqualTo(legal);
	}

	@Test
	void noStateMovesToItself() {
		for (ConnectionState state : ConnectionState.values()) {
			assertThat(ConnectionStateTransitions.isAllowed(state, state)).as(state.name()).isFalse();
		}
		for (ChannelState state : ChannelState.values()) {
			assertThat(ChannelStateTransitions.isAllowed(state, state)).as(state.name()).isFalse();
		}
	}

}
