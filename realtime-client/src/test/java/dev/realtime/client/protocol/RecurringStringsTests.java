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

package dev.realtime.client.protocol;

import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RecurringStrings}.
 *
 * @author Realtime team
 */
class RecurringStringsTests {

	private static final JsonMapper mapper = JsonMapper.builder().build();

	@Property(tries = 500)
	void everyStringIsReadAsItsText(@ForAll @Size(max = 50) List<@StringLength(max = 80) String> strings) {
		RecurringStrings recurring = new RecurringStrings();
		assertThat(readAll(recurring, strings)).isEqualTo(strings);
		assertThat(readAll(recurring, strings)).isEqualTo(strings);
	}

	@Example
	void aStringReadAgainIsTheInstanceReadBefore() {
		RecurringStrings recurring = new RecurringStrings();
		List<String> first = readAll(recurring, List.of("news", "conn-1", "tick"));
		List<String> second = readAll(recurring, List.of("news", "conn-1", "tick"));
		for (int i = 0; i < first.size(); i++) {
			assertThat(second.get(i)).isSameAs(first.get(i));
		}
	}

	@Example
	void aLongStringIsNotKept() {
		RecurringStrings recurring = new RecurringStrings();
		String text = "x".repeat(RecurringStrings.MAX_LENGTH + 1);
		String first = readAll(recurring, List.of(text)).get(0);
		String second = readAll(recurring, List.of(text)).get(0);
		assertThat(second).isEqualTo(text).isNotSameAs(first);
	}

	@Example
	void stringsOfTheSameSlotReplaceEachOtherAndAreStillReadAsTheirText() {
		RecurringStrings recurring = new RecurringStrings();
		// "Aa" and "BB" have the same hash, so they share a slot
		List<String> texts = List.of("Aa", "BB", "Aa", "BB", "\u00e9t\u00e9", "\u6f22\u5b57", "\u00e9t\u00e9");
		assertThat(readAll(recurring, texts)).isEqualTo(texts);
	}

	private static List<String> readAll(RecurringStrings recurring, List<String> strings) {
		String json = mapper.writeValueAsString(strings);
		List<String> read = new ArrayList<>();
		try (JsonParser parser = new JsonFactory().createParser(ObjectReadContext.empty(), json)) {
			assertThat(parser.nextToken()).isEqualTo(JsonToken.START_ARRAY);
			while (parser.nextToken() == JsonToken.VALUE_STRING) {
				read.add(recurring.read(parser));
			}
		}
		return read;
	}

}
