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
package dev.realtime.test.testcontainers;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Runs the annotated tests where a container engine answers, and always in CI
 * ({@code CI=true}), where a missing engine must fail the build instead of skipping its
 * tests. Elsewhere, without an engine, the tests are skipped and say why.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(EnabledIfContainerEngine.Condition.class)
@interface EnabledIfContainerEngine {

	/**
	 * Evaluates {@link EnabledIfContainerEngine}.
	 */
	class Condition implements ExecutionCondition {

		@Override
		public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
			if ("true".equalsIgnoreCase(System.getenv("CI"))) {
				return ConditionEvaluationResult.enabled("Container tests always run in CI");
			}
			if (DockerClientFactory.instance().isDockerAvailable()) {
				return ConditionEvaluationResult.enabled("A container engine is available");
			}
			return ConditionEvaluationResult.disabled("No container engine found: start Docker, or podman's service "
					+ "with DOCKER_HOST pointing at its socket, as .ci/run does (see the README's Building)");
		}

	}

}
