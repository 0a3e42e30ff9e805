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

import org.jspecify.annotations.Nullable;

/**
 * The action of a {@link ProtocolMessage}, with its code on the wire.
 *
 * @author Realtime team
 */
public enum Action {

	HEARTBEAT(0), ACK(1), NACK(2), CONNECT(3), CONNECTED(4), DISCONNECT(5), DISCONNECTED(6), CLOSE(7), CLOSED(8),
	ERROR(9), ATTACH(10), ATTACHED(11), DETACH(12), DETACHED(13), PRESENCE(14), MESSAGE(15), SYNC(16), AUTH(17),
	ACTIVATE(18), OBJECT(19), OBJECT_SYNC(20), ANNOTATION(21);

	private static final Action[] BY_CODE = values();

	private final int code;

	Action(int code) {
		this.code = code;
	}

	/**
	 * Return the code of this action on the wire.
	 * @return the code
	 */
	public int code() {
		return this.code;
	}

	/**
	 * Return the action with the given code.
	 * @param code the code on the wire
	 * @return the action or {@code null} if the code is unknown, in which case the
	 * message must be ignored
	 */
	public static @Nullable Action fromCode(int code) {
		return (code >= 0 && code < BY_CODE.length) ? BY_CODE[code] : null;
	}

}
