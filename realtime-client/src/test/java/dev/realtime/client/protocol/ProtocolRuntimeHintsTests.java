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

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ProtocolRuntimeHints}.
 *
 * @author Realtime team
 */
class ProtocolRuntimeHintsTests {

	private final RuntimeHints hints = registeredHints();

	@Test
	void theRegistrarIsFoundThroughAotFactories() {
		assertThat(SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
			.load(RuntimeHintsRegistrar.class)).hasAtLeastOneElementOfType(ProtocolRuntimeHints.class);
	}

	@Test
	void everyTypeTheCodecBindsIsRegistered() {
		Set<Class<?>> wireTypes = reachableWireTypes(ProtocolMessage.class);
		assertThat(wireTypes).hasSizeGreaterThan(4);
		assertThat(Arrays.asList(ProtocolRuntimeHints.WIRE_TYPES)).containsAll(wireTypes);
		for (Class<?> type : wireTypes) {
			assertThat(RuntimeHintsPredicates.reflection()
				.onType(type)
				.withMemberCategories(MemberCategory.INVOKE_DECLARED_CONSTRUCTORS,
						MemberCategory.INVOKE_DECLARED_METHODS, MemberCategory.ACCESS_DECLARED_FIELDS))
				.as(type.getName())
				.accepts(this.hints);
		}
	}

	@Test
	void theRecordsCanBeCreatedAndReadByReflection() throws Exception {
		for (Class<?> type : ProtocolRuntimeHints.WIRE_TYPES) {
			if (!type.isRecord()) {
				continue;
			}
			RecordComponent[] components = type.getRecordComponents();
			Class<?>[] parameterTypes = Arrays.stream(components).map(RecordComponent::getType).toArray(Class[]::new);
			assertThat(RuntimeHintsPredicates.reflection()
				.onConstructorInvocation(type.getDeclaredConstructor(parameterTypes))).as(type.getName())
				.accepts(this.hints);
			for (RecordComponent component : components) {
				assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(component.getAccessor()))
					.as(type.getName() + "." + component.getName())
					.accepts(this.hints);
			}
		}
	}

	@Test
	void theProtocolMessageCanBeCreatedAndItsFieldsAndPropertiesAccessedByReflection() throws Exception {
		assertThat(RuntimeHintsPredicates.reflection()
			.onConstructorInvocation(ProtocolMessage.class.getDeclaredConstructor())).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onFieldAccess(ProtocolMessage.class, "actionCode"))
			.accepts(this.hints);
		assertThat(
				RuntimeHintsPredicates.reflection().onMethodInvocation(ProtocolMessage.class, "getConnectionDetails"))
			.accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(ProtocolMessage.class, "setMessages"))
			.accepts(this.hints);
	}

	private static RuntimeHints registeredHints() {
		RuntimeHints hints = new RuntimeHints();
		new ProtocolRuntimeHints().registerHints(hints, ProtocolRuntimeHintsTests.class.getClassLoader());
		return hints;
	}

	/**
	 * The types of this project that Jackson reaches from the given one through its
	 * fields, element types included: what the codec binds.
	 */
	private static Set<Class<?>> reachableWireTypes(Class<?> root) {
		Set<Class<?>> found = new LinkedHashSet<>();
		collect(root, found);
		return found;
	}

	private static void collect(Type type, Set<Class<?>> found) {
		if (type instanceof ParameterizedType parameterized) {
			for (Type argument : parameterized.getActualTypeArguments()) {
				collect(argument, found);
			}
			return;
		}
		if (!(type instanceof Class<?> candidate) || !candidate.getName().startsWith("dev.realtime.")
				|| candidate.isEnum() || !found.add(candidate)) {
			return;
		}
		for (Field field : candidate.getDeclaredFields()) {
			if (!Modifier.isStatic(field.getModifiers())) {
				collect(field.getGenericType(), found);
			}
		}
	}

}
