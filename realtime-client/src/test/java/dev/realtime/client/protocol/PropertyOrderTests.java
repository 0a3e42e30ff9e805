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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.SerializableString;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonParserDelegate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PropertyOrder}.
 *
 * @author Realtime team
 */
class PropertyOrderTests {

	private static final JsonFactory factory = new JsonFactory();

	/** Known names, one the prefix of another, and unknown ones, one escaped. */
	private static final List<String> NAMES = List.of("\"red\"", "\"redDark\"", "\"blue\"", "\"green\"", "\"re\"",
			"\"r\\u0065d\"", "\"\"");

	@Property(tries = 500)
	void everyObjectIsReadAsItsNamesWhateverTheOrder(@ForAll("objects") List<List<String>> objects) {
		PropertyOrder<Colour> order = new PropertyOrder<>(Colour.class, Colour::json);
		String json = toJson(objects);
		assertThat(readWith(order, parser(json))).isEqualTo(readPlainly(json));
		assertThat(readWith(order, parser(json))).isEqualTo(readPlainly(json));
	}

	@Example
	void objectsInTheSameOrderAreReadByComparingThePredictedName() {
		PropertyOrder<Colour> order = new PropertyOrder<>(Colour.class, Colour::json);
		List<String> object = List.of("\"red\"", "\"green\"", "\"blue\"", "\"redDark\"");
		String json = toJson(List.of(object, object, object));
		CountingParser parser = new CountingParser(parser(json));
		assertThat(readWith(order, parser)).isEqualTo(readPlainly(json));
		// The first object teaches the order; an unknown name is not predicted, nor what
		// follows it
		assertThat(parser.predicted).isEqualTo(4);
		assertThat(parser.matched).isEqualTo(4);
	}

	@Example
	void aPredictionThatMissesStillReadsTheName() {
		PropertyOrder<Colour> order = new PropertyOrder<>(Colour.class, Colour::json);
		String json = toJson(List.of(List.of("\"red\"", "\"blue\""), List.of("\"redDark\"", "\"red\""),
				List.of("\"r\\u0065d\"", "\"blue\"")));
		CountingParser parser = new CountingParser(parser(json));
		assertThat(readWith(order, parser))
			.isEqualTo(List.of(List.of("red", "blue"), List.of("redDark", "red"), List.of("red", "blue")));
		assertThat(parser.matched).isLessThan(parser.predicted);
	}

	@Example
	void threadsThatReadObjectsInOtherOrdersAtOnceEachReadTheirOwn() throws Exception {
		PropertyOrder<Colour> order = new PropertyOrder<>(Colour.class, Colour::json);
		List<String> orders = List.of(toJson(nCopies(List.of("\"red\"", "\"blue\"", "\"redDark\""), 20)),
				toJson(nCopies(List.of("\"blue\"", "\"redDark\"", "\"red\""), 20)),
				toJson(nCopies(List.of("\"redDark\"", "\"green\"", "\"red\"", "\"blue\""), 20)),
				toJson(nCopies(List.of("\"r\\u0065d\"", "\"blue\""), 20)));
		ExecutorService threads = Executors.newFixedThreadPool(orders.size());
		try {
			List<Future<Boolean>> results = new ArrayList<>();
			for (String json : orders) {
				List<List<String>> expected = readPlainly(json);
				results.add(threads.submit(() -> {
					for (int i = 0; i < 2_000; i++) {
						if (!readWith(order, parser(json)).equals(expected)) {
							return false;
						}
					}
					return true;
				}));
			}
			for (Future<Boolean> result : results) {
				assertThat(result.get(30, TimeUnit.SECONDS)).isTrue();
			}
		}
		finally {
			threads.shutdownNow();
		}
	}

	@Provide
	Arbitrary<List<List<String>>> objects() {
		Arbitrary<List<String>> object = Arbitraries.of(NAMES).list().ofMaxSize(6).uniqueElements();
		return Arbitraries.oneOf(object.list().ofMaxSize(8),
				object.flatMap((one) -> Arbitraries.integers().between(1, 5).map((n) -> nCopies(one, n))));
	}

	private static List<List<String>> nCopies(List<String> object, int n) {
		return new ArrayList<>(java.util.Collections.nCopies(n, object));
	}

	private static String toJson(List<List<String>> objects) {
		StringBuilder json = new StringBuilder("[");
		for (List<String> object : objects) {
			json.append((json.length() > 1) ? "," : "").append("{");
			for (int i = 0; i < object.size(); i++) {
				json.append((i > 0) ? "," : "").append(object.get(i)).append(":{\"n\":[").append(i).append("]}");
			}
			json.append("}");
		}
		return json.append("]").toString();
	}

	private static JsonParser parser(String json) {
		return factory.createParser(ObjectReadContext.empty(), json);
	}

	/**
	 * Read each object's names through the order, the value of each known one skipped, an
	 * unknown one as {@code ?name}.
	 */
	private static List<List<String>> readWith(PropertyOrder<Colour> order, JsonParser parser) {
		List<List<String>> objects = new ArrayList<>();
		assertThat(parser.nextToken()).isEqualTo(JsonToken.START_ARRAY);
		while (parser.nextToken() == JsonToken.START_OBJECT) {
			List<String> names = new ArrayList<>();
			Colour previous = null;
			for (boolean first = true;; first = false) {
				Colour colour = order.next(parser, previous, first);
				if (colour == null && !parser.hasToken(JsonToken.PROPERTY_NAME)) {
					assertThat(parser.currentToken()).isEqualTo(JsonToken.END_OBJECT);
					break;
				}
				names.add((colour != null) ? colour.json() : "?" + parser.currentName());
				parser.nextToken();
				parser.skipChildren();
				previous = colour;
			}
			objects.add(names);
		}
		return objects;
	}

	private static List<List<String>> readPlainly(String json) {
		List<List<String>> objects = new ArrayList<>();
		try (JsonParser parser = parser(json)) {
			parser.nextToken();
			while (parser.nextToken() == JsonToken.START_OBJECT) {
				List<String> names = new ArrayList<>();
				for (String name = parser.nextName(); name != null; name = parser.nextName()) {
					boolean known = List.of("red", "redDark", "blue").contains(name);
					names.add(known ? name : "?" + name);
					parser.nextToken();
					parser.skipChildren();
				}
				objects.add(names);
			}
		}
		return objects;
	}

	enum Colour {

		RED("red"), RED_DARK("redDark"), BLUE("blue");

		private final String json;

		Colour(String json) {
			this.json = json;
		}

		String json() {
			return this.json;
		}

	}

	static class CountingParser extends JsonParserDelegate {

		int predicted;

		int matched;

		CountingParser(JsonParser parser) {
			super(parser);
		}

		@Override
		public boolean nextName(SerializableString name) {
			this.predicted++;
			boolean match = super.nextName(name);
			this.matched += match ? 1 : 0;
			return match;
		}

	}

}
