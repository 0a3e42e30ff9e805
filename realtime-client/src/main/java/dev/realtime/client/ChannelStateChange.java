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

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A change of a channel's {@link ChannelState}, or an update while
 * {@link ChannelState#ATTACHED ATTACHED} (the server re-attached the channel without
 * continuity), in which case {@code previous == current} and {@link #isUpdate()} is
 * {@code true}.
 *
 * @param channel the name of the channel
 * @param previous the state before the change
 * @param current the state after the change
 * @param reason why the change happened, if it was caused by an error
 * @param resumed for a change to or an update of {@link ChannelState#ATTACHED ATTACHED},
 * whether the channel continued where it left off; {@code false} means messages may have
 * been missed
 * @author Realtime team
 */
public record ChannelStateChange(String channel, ChannelState previous, ChannelState current,
		@Nullable ErrorInfo reason, boolean resumed) {

	public ChannelStateChange {
		Assert.isTrue(previous != current || current == ChannelState.ATTACHED,
				() -> "Only ATTACHED may be updated in place, not " + current);
	}

	/**
	 * Return whether this is an update of an {@link ChannelState#ATTACHED ATTACHED}
	 * channel rather than a change of state.
	 * @return whether the state stayed the same
	 */
	public boolean isUpdate() {
		return this.previous == this.current;
	}

}
