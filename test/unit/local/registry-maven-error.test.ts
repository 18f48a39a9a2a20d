import {describe, expect, it} from 'vitest'

import {mavenError} from '../../../src/local/registry.js'

// What `mvn -q -B package` printed here for a registry version Maven Central does not serve.
const UNRESOLVABLE = `\u001B[0m\u001B[0m[ERROR] [ERROR] Some problems were encountered while processing the POMs:
[ERROR] Non-resolvable import POM: io.apicurio:apicurio-registry:pom:9.9.9 was not found in https://repo.maven.apache.org/maven2 @ line 16, column 19
 @ 
[ERROR] The build could not read 1 project -> [Help 1]
[ERROR]   
[ERROR]   The project dev.kafkit:kafkit-apicurio-registry:1 (/tmp/x/pom.xml) has 1 error
[ERROR]     Non-resolvable import POM: io.apicurio:apicurio-registry:pom:9.9.9 was not found in https://repo.maven.apache.org/maven2 @ line 16, column 19 -> [Help 2]
[ERROR] 
[ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.
[ERROR] Re-run Maven using the -X switch to enable full debug logging.
[ERROR] [Help 1] http://cwiki.apache.org/confluence/display/MAVEN/ProjectBuildingException
`

describe('mavenError', () => {
  it('picks the line that says what failed, without colour codes or [ERROR] prefixes', () => {
    expect(mavenError(UNRESOLVABLE)).toBe(
      'Non-resolvable import POM: io.apicurio:apicurio-registry:pom:9.9.9 was not found in https://repo.maven.apache.org/maven2 @ line 16, column 19',
    )
  })

  it('takes a missing dependency from a failed goal', () => {
    const out = `[INFO] BUILD FAILURE
[ERROR] Failed to execute goal on project kafkit-apicurio-registry: Could not resolve dependencies for project dev.kafkit:kafkit-apicurio-registry:jar:1: Could not find artifact io.apicurio:apicurio-registry-schema-util-provider:jar:3.3.3
[ERROR] 
[ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.
`
    expect(mavenError(out)).toMatch(/^Failed to execute goal .*Could not find artifact io\.apicurio:apicurio-registry-schema-util-provider:jar:3\.3\.3$/)
  })

  it('is undefined when Maven printed no error line', () => {
    expect(mavenError('[INFO] BUILD SUCCESS\n')).toBeUndefined()
  })
})
