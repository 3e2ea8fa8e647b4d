import type { XmlDocument } from '../../parser/nodes';
import { Abi, type AbiProblem } from './compare';
import { checkDevices } from './devices';
import { checkDomain } from './domain';

export type { AbiCode, AbiProblem } from './compare';

/**
 * Our own ABI-stability check of a destination XML against its source, over what libvirt's
 * virDomainDefCheckABIStability compares (libvirt-facts §5): devices by position within each class.
 * Unlike libvirt, which stops at the first difference, it reports the first difference of each device and setting.
 */
export function checkAbi(source: XmlDocument, dest: XmlDocument): AbiProblem[] {
  const src = source.root;
  const dst = dest.root;
  if (src?.name !== 'domain' || dst?.name !== 'domain') {
    return [
      {
        code: 'abi-domain',
        message: `the ${src?.name !== 'domain' ? 'source' : 'destination'} is not a libvirt domain (no <domain> root element)`,
      },
    ];
  }
  const abi = new Abi({ text: source.text, root: src }, { text: dest.text, root: dst });
  checkDomain(abi);
  checkDevices(abi);
  return abi.problems;
}
