/** The flags that name what `kafkit configs ...` works on: one broker, every broker, or one topic. */
import {Flags} from '@oclif/core'

export const configResourceFlags = {
  broker: Flags.string({description: 'one broker, by id (kafkit cluster info lists them)', helpValue: 'ID'}),
  'broker-default': Flags.boolean({description: 'the cluster-wide default of every broker'}),
  topic: Flags.string({description: 'one topic', helpValue: 'NAME'}),
}
