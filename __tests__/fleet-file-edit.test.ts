import { parse } from 'yaml';
import { FleetFileEdit } from '../cli/fleet-file-edit';

describe('FleetFileEdit', () => {
  it('replaces a scalar in its own quoting and keeps the alignment of the comment after it', () => {
    const edit = new FleetFileEdit("source:\n  ami: 'ami-0aaaaaaaaaaaaaaaa'      # old\n  region: \"us-east-1\"\n");
    edit.set(['source', 'ami'], 'ami-0bbbbbbbbbbbbbbbb');
    edit.set(['source', 'region'], 'eu-west-1');
    expect(edit.result()).toEqual({ text: "source:\n  ami: 'ami-0bbbbbbbbbbbbbbbb'      # old\n  region: \"eu-west-1\"\n", layoutKept: true });
    expect(edit.changedFields).toEqual(['source.ami', 'source.region']);
  });

  it('adds a key after the one named, at its indentation, also when the file does not end in a line break', () => {
    const edit = new FleetFileEdit('source:\n    ami: ami-0aaaaaaaaaaaaaaaa\nrollout:\n    waves: [[us-east-1]]');
    edit.set(['source', 'previous'], ['ami-0bbbbbbbbbbbbbbbb'], 'ami');
    edit.set(['rollout', 'promoted'], 0, 'waves');
    expect(edit.result().text).toBe('source:\n    ami: ami-0aaaaaaaaaaaaaaaa\n    previous: [ami-0bbbbbbbbbbbbbbbb]\nrollout:\n    waves: [[us-east-1]]\n    promoted: 0');
  });

  it('adds a new section with the indentation of the one it follows, set apart by a blank line as that one is', () => {
    const edit = new FleetFileEdit('fleet: web\nsource:\n    ami: ami-0aaaaaaaaaaaaaaaa\n\nregions: {}\n');
    edit.set(['rollout'], { promoted: 0 }, 'source');
    expect(edit.result().text).toBe('fleet: web\nsource:\n    ami: ami-0aaaaaaaaaaaaaaaa\n\nrollout:\n    promoted: 0\n\nregions: {}\n');
  });

  it('in a block sequence adds and removes item lines only, keeping the comments of the items it keeps', () => {
    const edit = new FleetFileEdit('previous:\n  - ami-0bbbbbbbbbbbbbbbb  # b\n  - ami-0cccccccccccccccc  # c\n  - ami-0dddddddddddddddd  # d\nnext: 1\n');
    edit.set(['previous'], ['ami-0aaaaaaaaaaaaaaaa', 'ami-0bbbbbbbbbbbbbbbb', 'ami-0dddddddddddddddd', 'ami-0eeeeeeeeeeeeeeee']);
    expect(edit.result().text).toBe('previous:\n  - ami-0aaaaaaaaaaaaaaaa\n  - ami-0bbbbbbbbbbbbbbbb  # b\n  - ami-0dddddddddddddddd  # d\n  - ami-0eeeeeeeeeeeeeeee\nnext: 1\n');
  });

  it('replaces a scalar field by another key in place (source.ssmParameter by source.ami)', () => {
    const edit = new FleetFileEdit('source:\n  ssmParameter: /aws/service/x   # newest\n  region: us-east-1\n');
    edit.replaceKey(['source', 'ssmParameter'], 'ami', 'ami-0aaaaaaaaaaaaaaaa');
    expect(edit.result().text).toBe('source:\n  ami: ami-0aaaaaaaaaaaaaaaa   # newest\n  region: us-east-1\n');
  });

  it('writes the document anew, comments kept, where the layout cannot be edited in place (a multi-line flow sequence)', () => {
    const text = 'source:\n  ami: ami-0aaaaaaaaaaaaaaaa # new\n  previous: [\n    ami-0bbbbbbbbbbbbbbbb, # b\n  ]\n';
    const edit = new FleetFileEdit(text);
    edit.set(['source', 'previous'], ['ami-0cccccccccccccccc', 'ami-0bbbbbbbbbbbbbbbb']);
    const { text: written, layoutKept } = edit.result();
    expect(layoutKept).toBe(false);
    expect(parse(written)).toEqual({ source: { ami: 'ami-0aaaaaaaaaaaaaaaa', previous: ['ami-0cccccccccccccccc', 'ami-0bbbbbbbbbbbbbbbb'] } });
    expect(written).toContain('# new');
  });
});
