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

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * An access token from a {@link RealtimeTokenProvider}.
 *
 * @param token the token
 * @param expires when the token expires, if known: the client then renews it a request
 * timeout before; without it, the client renews only when the server says the token is no
 * longer valid
 * @author Realtime team
 */
public record RealtimeToken(String token, @Nullable Instant expires) {

	public RealtimeToken {
		Assert.hasText(token, "'token' must not be blank");
	}

	@Override
	public String toString() {
		return "RealtimeToken[token=******, expires=" + this.expires + "]";
	}

}
