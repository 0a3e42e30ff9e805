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

import java.lang.reflect.Array;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;

/**
 * Reads the property names of objects whose properties come in the same order from one
 * object to the next, as a server's frames do: it remembers which known property followed
 * each one last time and asks the parser whether that one comes next, which the parser
 * answers by comparing the name's characters in its buffer, without hashing the name or
 * looking it up; any other name is read as usual. Shared by every thread that decodes: a
 * prediction that races another costs only a later miss.
 *
 * @param <P> the known properties
 * @author Realtime team
 */
final class PropertyOrder<P extends Enum<P>> {

	private final SerializableString[] names;

	private final Map<String, P> byName = new HashMap<>();

	/**
	 * The property that followed each property last time, by its ordinal plus one; at 0
	 * the first property of an object.
	 */
	private final @Nullable P[] following;

	/**
	 * Create an order of the given properties.
	 * @param type the enum of the known properties
	 * @param name the name of a property in JSON
	 */
	PropertyOrder(Class<P> type, Function<P, String> name) {
		P[] properties = type.getEnumConstants();
		this.names = new SerializableString[properties.length];
		for (P property : properties) {
			this.names[property.ordinal()] = new SerializedString(name.apply(property));
			this.byName.put(name.apply(property), property);
		}
		this.following = newArray(type, properties.length + 1);
	}

	@SuppressWarnings("unchecked")
	private static <P> P[] newArray(Class<P> type, int length) {
		return (P[]) Array.newInstance(type, length);
	}

	/**
	 * Advance the parser to the next property name of the object it is in.
	 * @param parser the parser, before the name
	 * @param previous the property read before in this object, or {@code null} for the
	 * first, or after an unknown one
	 * @param first whether this is the object's first property
	 * @return the property, or {@code null} for one not known (the parser is then on its
	 * name) or at the end of the object (the parser is then on {@code END_OBJECT})
	 */
	@Nullable P next(JsonParser parser, @Nullable P previous, boolean first) {
		int slot = (previous != null) ? previous.ordinal() + 1 : 0;
		@Nullable P predicted = (previous != null || first) ? this.following[slot] : null;
		@Nullable P property;
		if (predicted != null) {
			if (parser.nextName(this.names[predicted.ordinal()])) {
				return predicted;
			}
			property = parser.hasToken(JsonToken.PROPERTY_NAME) ? this.byName.get(parser.currentName()) : null;
		}
		else {
			String name = parser.nextName();
			property = (name != null) ? this.byName.get(name) : null;
		}
		if (property != null && (previous != null || first)) {
			this.following[slot] = property;
		}
		return property;
	}

	/**
	 * Return the property of the parser's current name.
	 * @param parser the parser, on a property name
	 * @return the property, or {@code null} if it is not known
	 */
	@Nullable P current(JsonParser parser) {
		return this.byName.get(parser.currentName());
	}

}
