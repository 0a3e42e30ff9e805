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

import java.nio.charset.StandardCharsets;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Utf8}.
 *
 * @author Realtime team
 */
class Utf8Tests {

	@Property(tries = 2000)
	void textIsCountedAsTheBytesItEncodesTo(@ForAll("wellFormedText") String text) {
		assertThat(Utf8.encodedLength(text)).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
	}

	@Property(tries = 2000)
	void aStringIsCountedAsAnyOtherCharSequenceOfTheSameChars(@ForAll("anyText") String text) {
		assertThat(Utf8.encodedLength(text)).isEqualTo(Utf8.encodedLength(new StringBuilder(text)));
	}

	@Example
	void aLoneSurrogateCountsAsTheThreeBytesOfTheReplacementCharacter() {
		assertThat(Utf8.encodedLength("a\uD800b")).isEqualTo(5);
		assertThat(Utf8.encodedLength("\uDC00")).isEqualTo(3);
		assertThat(Utf8.encodedLength(new StringBuilder("\uD83D"))).isEqualTo(3);
	}

	@Example
	void aSurrogatePairCountsAsFourBytes() {
		assertThat(Utf8.encodedLength("ab\uD83D\uDE00")).isEqualTo(6);
	}

	@Provide
	Arbitrary<String> wellFormedText() {
		Arbitrary<String> ascii = Arbitraries.strings().ascii().ofMaxLength(40);
		Arbitrary<String> any = Arbitraries.strings().all().ofMaxLength(40);
		return Arbitraries.oneOf(ascii, any, Arbitraries.just("h\u00e9llo \u4e16\u754c \uD83D\uDE00"))
			.list()
			.ofMaxSize(4)
			.map((parts) -> String.join("", parts))
			.filter(Utf8Tests::isWellFormed);
	}

	@Provide
	Arbitrary<String> anyText() {
		return Arbitraries.oneOf(Arbitraries.strings().ascii().ofMaxLength(60),
				Arbitraries.strings().all().ofMaxLength(60),
				Arbitraries.strings().withCharRange('\uD800', '\uDFFF').withCharRange('a', 'c').ofMaxLength(10));
	}

	private static boolean isWellFormed(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (Character.isHighSurrogate(c)) {
				if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
					return false;
				}
				i++;
			}
			else if (Character.isLowSurrogate(c)) {
				return false;
			}
		}
		return true;
	}

}
