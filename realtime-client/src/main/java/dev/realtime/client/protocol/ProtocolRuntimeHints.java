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

import dev.realtime.client.ErrorInfo;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * {@link RuntimeHintsRegistrar} for a native image: the reflection that
 * {@link ProtocolCodec} needs, through Jackson, to read and write every type of the wire
 * protocol. Registered in {@code META-INF/spring/aot.factories}. The application's own
 * types that it publishes as message data need hints of their own.
 *
 * @author Realtime team
 */
class ProtocolRuntimeHints implements RuntimeHintsRegistrar {

	/** The types that the codec binds, directly or as the type of a field. */
	static final Class<?>[] WIRE_TYPES = { ProtocolMessage.class, ConnectionDetails.class, AuthDetails.class,
			WireMessage.class, WirePresenceMessage.class, ErrorInfo.class };

	private final BindingReflectionHintsRegistrar bindingRegistrar = new BindingReflectionHintsRegistrar();

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		this.bindingRegistrar.registerReflectionHints(hints.reflection(), WIRE_TYPES);
		for (Class<?> type : WIRE_TYPES) {
			// Jackson also reads annotated private fields (ProtocolMessage's action) and
			// the canonical constructors of records
			hints.reflection()
				.registerType(type, MemberCategory.INVOKE_DECLARED_CONSTRUCTORS, MemberCategory.INVOKE_DECLARED_METHODS,
						MemberCategory.ACCESS_DECLARED_FIELDS);
		}
	}

}
