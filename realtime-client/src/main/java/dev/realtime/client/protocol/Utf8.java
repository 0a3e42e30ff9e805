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
 * The size of text in UTF-8, counted without encoding it: what a frame or a payload takes
 * on the wire, for the limits that are set in bytes.
 *
 * @author Realtime team
 */
public final class Utf8 {

	private Utf8() {
	}

	/**
	 * Return how many bytes the given text takes in UTF-8. A lone surrogate counts as the
	 * three bytes of the replacement it is encoded as. The leading ASCII, most often the
	 * whole of a frame, is counted with a plain loop before the general one.
	 * @param text the text
	 * @return the number of bytes
	 */
	public static long encodedLength(String text) {
		int length = text.length();
		for (int i = 0; i < length; i++) {
			if (text.charAt(i) >= 0x80) {
				return i + encodedLength(text, i);
			}
		}
		return length;
	}

	/**
	 * Return how many bytes the given text takes in UTF-8. A lone surrogate counts as the
	 * three bytes of the replacement it is encoded as.
	 * @param text the text
	 * @return the number of bytes
	 */
	public static long encodedLength(CharSequence text) {
		return encodedLength(text, 0);
	}

	private static long encodedLength(CharSequence text, int from) {
		long length = 0;
		for (int i = from; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < 0x80) {
				length++;
			}
			else if (c < 0x800) {
				length += 2;
			}
			else if (Character.isHighSurrogate(c) && i + 1 < text.length()
					&& Character.isLowSurrogate(text.charAt(i + 1))) {
				length += 4;
				i++;
			}
			else {
				length += 3;
			}
		}
		return length;
	}

}
