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

/**
 * The bits of {@link ProtocolMessage#getFlags()}.
 *
 * @author Realtime team
 */
public final class Flags {

	/** The channel has presence members. */
	public static final long HAS_PRESENCE = 1;

	/** The channel has a backlog of messages to deliver. */
	public static final long HAS_BACKLOG = 1 << 1;

	/** The channel or connection continued where it left off. */
	public static final long RESUMED = 1 << 2;

	/** The attachment is transient. */
	public static final long TRANSIENT = 1 << 4;

	/** Channel mode: enter presence. */
	public static final long PRESENCE = 1L << 16;

	/** Channel mode: publish. */
	public static final long PUBLISH = 1L << 17;

	/** Channel mode: subscribe. */
	public static final long SUBSCRIBE = 1L << 18;

	/** Channel mode: subscribe to presence. */
	public static final long PRESENCE_SUBSCRIBE = 1L << 19;

	private Flags() {
	}

	/**
	 * Return whether the given flags have the given bit set.
	 * @param flags the flags
	 * @param flag the bit
	 * @return whether the bit is set
	 */
	public static boolean isSet(long flags, long flag) {
		return (flags & flag) == flag;
	}

}
