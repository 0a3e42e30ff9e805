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

import dev.realtime.client.protocol.Flags;

/**
 * What a client may do on a channel, asked for when it attaches and granted by the server
 * [TB2d, RTL4l, RTL4m].
 *
 * @author Realtime team
 */
public enum ChannelMode {

	/** Enter, update and leave the channel's presence set. */
	PRESENCE(Flags.PRESENCE),

	/** Publish messages. */
	PUBLISH(Flags.PUBLISH),

	/** Receive messages. */
	SUBSCRIBE(Flags.SUBSCRIBE),

	/** Receive presence events. */
	PRESENCE_SUBSCRIBE(Flags.PRESENCE_SUBSCRIBE);

	private final long flag;

	ChannelMode(long flag) {
		this.flag = flag;
	}

	/**
	 * Return the flag of this mode in a protocol message's {@code flags}.
	 * @return the flag
	 */
	long flag() {
		return this.flag;
	}

}
