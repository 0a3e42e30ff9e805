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

import java.util.HashSet;
import java.util.Set;

import dev.realtime.client.protocol.ProtocolCodec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Payloads}.
 *
 * @author Realtime team
 */
class PayloadsTests {

	private final ProtocolCodec codec = new ProtocolCodec();

	@Test
	void messageIdsAreTwelveRandomCharactersAColonAndASerial() {
		// RSL1k1
		Payloads payloads = new Payloads(this.codec);
		String first = payloads.encode("m", "a").id();
		String second = payloads.encode("m", "b").id();
		assertThat(first).matches("[A-Za-z0-9_-]{12}:0");
		assertThat(second).isEqualTo(first.substring(0, 13) + "1");
	}

	@Test
	void eachClientHasAPrefixOfItsOwn() {
		Set<String> prefixes = new HashSet<>();
		for (int i = 0; i < 1000; i++) {
			prefixes.add(new Payloads(this.codec).encode(null, null).id().split(":")[0]);
		}
		assertThat(prefixes).hasSize(1000);
	}

}
