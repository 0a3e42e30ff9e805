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

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A change of {@link ConnectionState}, or an update while
 * {@link ConnectionState#CONNECTED CONNECTED} (the server sent new connection details),
 * in which case {@code previous == current} and {@link #isUpdate()} is {@code true}.
 *
 * @param previous the state before the change
 * @param current the state after the change
 * @param reason why the change happened, if it was caused by an error
 * @param retryIn when the next connection attempt is due, for
 * {@link ConnectionState#DISCONNECTED} and {@link ConnectionState#SUSPENDED}
 * @author Realtime team
 */
public record ConnectionStateChange(ConnectionState previous, ConnectionState current, @Nullable ErrorInfo reason,
		@Nullable Duration retryIn) {

	public ConnectionStateChange {
		Assert.isTrue(previous != current || current == ConnectionState.CONNECTED,
				() -> "Only CONNECTED may be updated in place, not " + current);
	}

	/**
	 * Return whether this is an update of a {@link ConnectionState#CONNECTED CONNECTED}
	 * connection rather than a change of state.
	 * @return whether the state stayed the same
	 */
	public boolean isUpdate() {
		return this.previous == this.current;
	}

}
