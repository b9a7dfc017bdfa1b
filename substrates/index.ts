import { SubstrateKind } from '../lib/core/model/schema';
import { AksSubstrate } from './aks';
import { EksSubstrate } from './eks';
import { KubeadmSubstrate } from './kubeadm';
import { Substrate } from '../contracts/substrate';

/** The one place that maps a substrate kind to its implementation. */
const SUBSTRATES: Record<SubstrateKind, Substrate> = {
  eks: new EksSubstrate(),
  aks: new AksSubstrate(),
  kubeadm: new KubeadmSubstrate(),
};

export function substrateFor(kind: SubstrateKind): Substrate {
  return SUBSTRATES[kind];
}
