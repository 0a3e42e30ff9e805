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

/**
 * What a {@link PresenceMessage} says about a member of a channel's presence set [TP2].
 * The constants are in the order of their codes on the wire, from {@code 0}.
 *
 * @author Realtime team
 */
public enum PresenceAction {

	/**
	 * The member is not present: held in the set while a sync is in progress, never
	 * delivered to subscribers.
	 */
	ABSENT,

	/** The member was present when the presence set was synchronized. */
	PRESENT,

	/** The member entered. */
	ENTER,

	/** The member left. */
	LEAVE,

	/** The member updated its data. */
	UPDATE;

	private static final PresenceAction[] BY_CODE = values();

	/**
	 * Return the code of this action on the wire.
	 * @return the code
	 */
	public int code() {
		return ordinal();
	}

	/**
	 * Return the action with the given code.
	 * @param code the code on the wire
	 * @return the action, or {@code null} if the code is unknown, in which case the
	 * presence message is ignored [RTF1]
	 */
	public static @Nullable PresenceAction fromCode(int code) {
		return (code >= 0 && code < BY_CODE.length) ? BY_CODE[code] : null;
	}

}
