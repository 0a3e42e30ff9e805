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
import tools.jackson.core.JsonParser;

/**
 * The string values that recur from frame to frame (channel names, connection and client
 * ids, message names), read from the parser's buffer into one shared instance each: a
 * frame allocates no string for them, and the actor, which looks a channel up by its
 * name, finds the name's hash already computed. A small table with one string per slot,
 * shared by every thread that decodes: a slot keeps the last string read into it, and a
 * write that races another costs only a later miss, as strings are immutable.
 *
 * @author Realtime team
 */
final class RecurringStrings {

	/** How many strings the table holds at most: a power of two. */
	static final int SLOTS = 512;

	/** The longest string kept; longer ones are read as they are. */
	static final int MAX_LENGTH = 64;

	private final @Nullable String[] slots = new String[SLOTS];

	/**
	 * Read the string value of the parser's current token, which must be a string.
	 * @param parser the parser
	 * @return the string: the instance read last time if the text is the same
	 */
	String read(JsonParser parser) {
		int length = parser.getStringLength();
		if (length > MAX_LENGTH) {
			return parser.getString();
		}
		char[] chars = parser.getStringCharacters();
		int offset = parser.getStringOffset();
		int hash = 0;
		for (int i = 0; i < length; i++) {
			hash = 31 * hash + chars[offset + i]; // as String.hashCode()
		}
		int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
		@Nullable String kept = this.slots[slot];
		if (kept != null && kept.hashCode() == hash && matches(kept, chars, offset, length)) {
			return kept;
		}
		String string = new String(chars, offset, length);
		this.slots[slot] = string;
		return string;
	}

	private static boolean matches(String string, char[] chars, int offset, int length) {
		if (string.length() != length) {
			return false;
		}
		for (int i = 0; i < length; i++) {
			if (string.charAt(i) != chars[offset + i]) {
				return false;
			}
		}
		return true;
	}

}
