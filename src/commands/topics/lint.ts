import {BaseCommand} from '../../cli/base-command.js'
import {renderLintResult, type LintResult} from '../../cli/render-lint.js'
import {topicsFileFlags} from '../../cli/topics-file.js'
import {schemaRegistryFlag, schemaRegistryFor} from '../../cli/schema-registry-flags.js'
import {readTopicsFile} from '../../app/declarative-topics.js'
import {formatProblem, sortProblems} from '../../core/problem.js'
import {ExitCode} from '../../errors.js'

export default class TopicsLint extends BaseCommand<typeof TopicsLint> {
  static summary = 'Check topics.yaml offline: schema, config names and values, policy rules (exit 1 on errors)'
  static description = `No broker needed. Every problem is reported with file:line:col; config names are checked
against Kafka's topic configs (with a did-you-mean). Policy rules (naming, min RF, min ISR, min retention,
max partitions; for acls and quotas: aclWriteOnAll, consumerWithoutGroup, denyShadowsAllow, zeroQuota) have
the severity the file gives them: error, warn or off.
With --schema-registry URL (and only then: lint is otherwise offline) the keySchema / valueSchema subjects
topics declare must exist in that registry.`
  static examples = ['$ kafkit topics lint', '$ kafkit topics lint -f topics.yaml --env dev -o json']

  static flags = {
    ...topicsFileFlags,
    'schema-registry': {...schemaRegistryFlag, description: 'also check that the keySchema / valueSchema subjects of the topics exist in this Schema Registry'},
  }

  async run(): Promise<LintResult> {
    const topicsFile = readTopicsFile(this.flags.file, this.flags.env)
    const registryUrl = this.flags['schema-registry']
    if (registryUrl !== undefined && topicsFile.spec !== undefined) {
      const registry = schemaRegistryFor(registryUrl, undefined)!
      const {openSchemaRegistry, checkDeclaredSubjects} = await import('../../app/schemas.js')
      const {problems} = await checkDeclaredSubjects(openSchemaRegistry(registry, 10_000), topicsFile.file, topicsFile.spec.topics)
      topicsFile.problems = sortProblems([...topicsFile.problems, ...problems])
    }
    // The formatted line of each problem only where it is printed: a table groups them.
    const problems = this.outputFormat === 'table' ? topicsFile.problems : topicsFile.problems.map((p) => ({...p, text: formatProblem(p)}))
    const errors = problems.filter((p) => p.severity === 'error').length
    const result: LintResult = {
      file: topicsFile.file,
      ...(this.flags.env ? {env: this.flags.env} : {}),
      topics: topicsFile.spec?.topics.length ?? 0,
      ...(topicsFile.spec?.security ? {security: {acls: topicsFile.spec.security.acls.length, users: topicsFile.spec.security.users.length, quotas: topicsFile.spec.security.quotas.length}} : {}),
      errors,
      warnings: problems.length - errors,
      problems,
    }
    this.render(result, renderLintResult)
    if (errors > 0) process.exitCode = ExitCode.error
    return result
  }
}
