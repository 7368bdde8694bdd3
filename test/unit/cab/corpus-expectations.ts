/**
 * What cabextract 1.9 (`cabextract -t`) said about every cabinet in the corpus, recorded once, and
 * what openCab must do with each: the same MD5 where cabextract extracted a file, an error where it
 * failed, and a stated reason where the two part ways on purpose. Names are the cabinet's own
 * (cabextract rewrites `\\` and odd bytes); files are matched to cabextract's list by position
 * when both list the same number, else by name ("not listed alone": cabextract listed it otherwise).
 */
export interface CorpusCab {
  path: string;
  /** openCab itself throws this code. */
  open?: string;
  why?: string;
  cabextract?: string;
  files?: { name: string; md5?: string; error?: string; why?: string; cabextract: string }[];
}

export const corpusCabs: CorpusCab[] = [
  {
    path: 'mozilla_dump_syms/test_data/windows/basic32.pd_',
    files: [
      {
        name: 'basic32.pdb',
        md5: 'a6c609e6b62cd0b9fbea5400bf370891',
        cabextract: 'a6c609e6b62cd0b9fbea5400bf370891',
      },
    ],
  },
  {
    path: 'mstange_symsrv/tests/fixtures/ShowSSEConfig.exe/63E6C7F78000/ShowSSEConfig.ex_',
    files: [
      {
        name: 'ShowSSEConfig.exe',
        md5: '037b27f0925aef09c03e5cac8139aeb9',
        cabextract: '037b27f0925aef09c03e5cac8139aeb9',
      },
    ],
  },
  {
    path: 'mstange_symsrv/tests/fixtures/ShowSSEConfig.pdb/A62592418D7807494C4C44205044422E1/ShowSSEConfig.pd_',
    files: [
      {
        name: 'ShowSSEConfig.pdb',
        md5: 'a5806894848078e7325f4d987b6abdef',
        cabextract: 'a5806894848078e7325f4d987b6abdef',
      },
    ],
  },
  {
    path: 'kyz_libmspack/cabextract/test/bugs/cve-2010-2800-mszip-infinite-loop.cab',
    files: [
      {
        name: 'file.txt',
        error: 'BAD_FORMAT',
        cabextract: 'failed: error in CAB data format',
      },
    ],
  },
  {
    path: 'kyz_libmspack/cabextract/test/bugs/cve-2010-2801-qtm-flush.cab',
    files: [
      {
        name: 'zeroes',
        error: 'UNSUPPORTED',
        why: 'Quantum is not implemented',
        cabextract: '42e8928e055cded6e5f32491a281ce92',
      },
    ],
  },
  {
    path: 'kyz_libmspack/cabextract/test/bugs/cve-2014-9556-qtm-infinite-loop.cab',
    files: [
      {
        name: 'limerick',
        error: 'UNSUPPORTED',
        why: 'Quantum is not implemented',
        cabextract: 'failed: error in CAB data format',
      },
    ],
  },
  {
    path: 'kyz_libmspack/cabextract/test/bugs/cve-2014-9732-folders-segfault.cab',
    files: [
      {
        name: '1',
        md5: '93b885adfe0da089cdf634904fd59f71',
        cabextract: '93b885adfe0da089cdf634904fd59f71',
      },
      {
        name: '2',
        error: 'BAD_FORMAT',
        cabextract: 'failed: decompression error',
      },
      {
        name: '3',
        md5: '93b885adfe0da089cdf634904fd59f71',
        cabextract: '93b885adfe0da089cdf634904fd59f71',
      },
    ],
  },
  {
    path: 'kyz_libmspack/cabextract/test/bugs/cve-2015-4470-mszip-over-read.cab',
    files: [
      {
        name: 'limerick',
        error: 'BAD_FORMAT',
        cabextract: 'failed: decompression error',
      },
    ],
  },
  {
    path: 'kyz_libmspack/cabextract/test/bugs/cve-2015-4471-lzx-under-read.cab',
    open: 'BAD_FORMAT',
    cabextract: 'no valid cabinets found',
  },
  {
    path: 'kyz_libmspack/cabextract/test/bugs/filename-read-violation-1.cab',
    open: 'BAD_FORMAT',
    cabextract: 'no valid cabinets found',
  },
  {
    path: 'kyz_libmspack/cabextract/test/bugs/filename-read-violation-2.cab',
    files: [
      {
        name: ' \u0014hello.jl\u0006�\u0005',
        error: 'BAD_FORMAT',
        cabextract: 'failed: decompression error',
      },
    ],
  },
  {
    path: 'kyz_libmspack/cabextract/test/bugs/filename-read-violation-3.cab',
    files: [
      {
        name: '�',
        error: 'BAD_FORMAT',
        cabextract: 'failed: decompression error',
      },
    ],
  },
  {
    path: 'kyz_libmspack/cabextract/test/bugs/filename-read-violation-4.cab',
    files: [
      {
        name: '���',
        error: 'BAD_FORMAT',
        cabextract: 'failed: decompression error',
      },
    ],
  },
  {
    path: 'kyz_libmspack/cabextract/test/bugs/lzx-main-tree-no-lengths.cab',
    files: [
      {
        name: 'file.txt',
        error: 'BAD_FORMAT',
        cabextract: 'failed: decompression error',
      },
    ],
  },
  {
    path: 'kyz_libmspack/cabextract/test/bugs/lzx-premature-matches.cab',
    files: [
      {
        name: 'file.txt',
        error: 'BAD_FORMAT',
        cabextract: 'failed: decompression error',
      },
    ],
  },
  {
    path: 'kyz_libmspack/cabextract/test/bugs/qtm-max-size-block.cab',
    files: [
      {
        name: 'test1.bin',
        error: 'UNSUPPORTED',
        why: 'Quantum is not implemented',
        cabextract: 'failed: decompression error',
      },
    ],
  },
  {
    path: 'kyz_libmspack/cabextract/test/cabs/case-ascii.cab',
    files: [
      {
        name: 'ascii\\upper\\ABCDEFGHIJKLMNOPQRSTUVWXYZ',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: 'ascii\\lower\\abcdefghijklmnopqrstuvwxyz',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
    ],
  },
  {
    path: 'kyz_libmspack/cabextract/test/cabs/case-utf8.cab',
    files: [
      {
        name: 'latin1\\upper\\ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞ',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: 'latin1\\lower\\àáâãäåæçèéêëìíîïðñòóôõöøùúûüýþ',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: 'greek\\upper\\ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: 'greek\\lower\\αβγδεζηθικλμνξοπρςστυφχψ',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: 'cyrillic\\upper\\АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: 'cyrillic\\lower\\абвгдежзийклмнопрстуфхцчшщъыьэюя',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
    ],
  },
  {
    path: 'kyz_libmspack/cabextract/test/cabs/dir.cab',
    files: [
      {
        name: 'plain.c',
        md5: 'c2535936b8908b1f8a28b7724a2c2045',
        cabextract: 'c2535936b8908b1f8a28b7724a2c2045',
      },
      {
        name: '1\\2\\3\\4.c',
        md5: '67c981a019c21f3f4bb8f92efe4d95a1',
        cabextract: '67c981a019c21f3f4bb8f92efe4d95a1',
      },
    ],
  },
  {
    path: 'kyz_libmspack/cabextract/test/cabs/dirwalk-vulns.cab',
    files: [
      {
        name: '/absolute/path',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'not listed alone',
      },
      {
        name: '/absolute/../../and/relative/path',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'not listed alone',
      },
      {
        name: '\\absolute\\path\\reverse\\slashes',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'not listed alone',
      },
      {
        name: '\\absolute\\..\\..\\and\\relative\\path\\reverse\\slashes',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'not listed alone',
      },
      {
        name: '/',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'not listed alone',
      },
      {
        name: '\\',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'not listed alone',
      },
      {
        name: '///////////',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'not listed alone',
      },
      {
        name: '\\\\\\\\\\\\\\\\\\\\\\',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'not listed alone',
      },
      {
        name: '../relative/path',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'not listed alone',
      },
      {
        name: '../../relative/path',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'not listed alone',
      },
      {
        name: '../../../relative/path',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'not listed alone',
      },
      {
        name: 'relative/../path',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'not listed alone',
      },
      {
        name: 'relative/../../path',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'not listed alone',
      },
      {
        name: 'relative/../../../path',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'not listed alone',
      },
      {
        name: '��absolute��path2b',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '���absolute���path3b',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'not listed alone',
      },
      {
        name: '����absolute����path4b',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'not listed alone',
      },
      {
        name: '�����absolute�����path5b',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '������absolute������path6b',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: 'relative��..��..��path2b',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: 'relative���..���..���path3b',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'not listed alone',
      },
      {
        name: 'relative����..����..����path4b',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'not listed alone',
      },
      {
        name: 'relative�����..�����..�����path5b',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: 'relative������..������..������path6b',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: 'innocuous��/../../relative/path2b',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'not listed alone',
      },
      {
        name: 'innocuous���/../../relative/path3b',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'not listed alone',
      },
      {
        name: 'innocuous����/../../relative/path4b',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'not listed alone',
      },
      {
        name: 'innocuous�����/../../relative/path5b',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'not listed alone',
      },
      {
        name: 'innocuous������/../../relative/path6b',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'not listed alone',
      },
    ],
  },
  {
    path: 'kyz_libmspack/cabextract/test/cabs/encoding-koi8.cab',
    files: [
      {
        name: 'úÄÒÁ×ÓÔ×ÕÊÔÅ, ÜÔÏ ËÁÎÁÌ ÏÂ ÁÎÉÍÅ?',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: 'äÁ.',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: 'ëÁË ÍÎÅ ÐÒÏÐÁÔÞÉÔØ KDE2 ÐÏÄ FreeBSD?',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
    ],
  },
  {
    path: 'kyz_libmspack/cabextract/test/cabs/encoding-latin1.cab',
    files: [
      {
        name: ' ¡¢£¤¥¦§¨©ª«¬­®¯°±²³´µ¶·¸¹º»¼½¾¿',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'not listed alone',
      },
      {
        name: 'ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞß',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'not listed alone',
      },
      {
        name: 'àáâãäåæçèéêëìíîïðñòóôõö÷øùúûüýþÿ',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'not listed alone',
      },
    ],
  },
  {
    path: 'kyz_libmspack/cabextract/test/cabs/encoding-sjis.cab',
    files: [
      {
        name: 'àØ©ç¿é',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: 'ÕÉüç¸ñÎÕqð¾¸',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '±ÌÉµÄ±Ìq è',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '¡¢£¤¥¦§¨©ª«¬­®¯°±²³´µ¶·¸¹º»¼½¾¿ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝ',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: ' ¢¤¦¨©«­¯±´µ·¹»½¿ÂÄÆÈÉÊËÌÍÐÓÖÙÜÝÞßàâäæçèéêëíðñ',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: 'ACEGIJLNPRTVXZ\\^`cegijklmnqtwz}~',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
    ],
  },
  {
    path: 'kyz_libmspack/cabextract/test/cabs/large-files-cab.cab',
    files: [
      {
        name: 'large-files.cab',
        md5: 'ac923e14971324651015ba44ceb59b36',
        cabextract: 'ac923e14971324651015ba44ceb59b36',
      },
    ],
  },
  {
    path: 'kyz_libmspack/cabextract/test/cabs/mixed.cab',
    files: [
      {
        name: 'mszip.txt',
        md5: '940cba86658fbceb582faecd2b5975d1',
        cabextract: '940cba86658fbceb582faecd2b5975d1',
      },
      {
        name: 'lzx.txt',
        md5: '703474293b614e7110b3eb8ac2762b53',
        cabextract: '703474293b614e7110b3eb8ac2762b53',
      },
      {
        name: 'qtm.txt',
        error: 'UNSUPPORTED',
        why: 'Quantum is not implemented',
        cabextract: '98fcfa4962a0f169a3c7fdbcb445cf17',
      },
    ],
  },
  {
    path: 'kyz_libmspack/cabextract/test/cabs/search.cab',
    open: 'BAD_FORMAT',
    why: 'cabextract searches the file for embedded cabinets; openCab wants one at offset 0',
  },
  {
    path: 'kyz_libmspack/cabextract/test/cabs/simple.cab',
    files: [
      {
        name: 'hello.c',
        md5: 'c2535936b8908b1f8a28b7724a2c2045',
        cabextract: 'c2535936b8908b1f8a28b7724a2c2045',
      },
      {
        name: 'welcome.c',
        md5: '67c981a019c21f3f4bb8f92efe4d95a1',
        cabextract: '67c981a019c21f3f4bb8f92efe4d95a1',
      },
    ],
  },
  {
    path: 'kyz_libmspack/cabextract/test/cabs/split-1.cab',
    files: [
      {
        name: 'small1.bin',
        md5: '2ad5ba0f497f1e597ab187a2dfaa2e29',
        cabextract: '2ad5ba0f497f1e597ab187a2dfaa2e29',
      },
      {
        name: 'small2.bin',
        error: 'UNSUPPORTED',
        why: 'multi-cabinet set (cabextract joins the set from the files beside it)',
        cabextract: '1f862f9e36a32a74202c1120b9f06af7',
      },
      {
        name: 'medium1.bin',
        error: 'UNSUPPORTED',
        why: 'multi-cabinet set (cabextract joins the set from the files beside it)',
        cabextract: '0a7bd124a4c03a30329bd9ff06f71df7',
      },
    ],
  },
  {
    path: 'kyz_libmspack/cabextract/test/cabs/split-2.cab',
    files: [
      {
        name: 'small2.bin',
        error: 'UNSUPPORTED',
        why: 'multi-cabinet set (cabextract joins the set from the files beside it)',
        cabextract: '1f862f9e36a32a74202c1120b9f06af7',
      },
      {
        name: 'medium1.bin',
        error: 'UNSUPPORTED',
        why: 'multi-cabinet set (cabextract joins the set from the files beside it)',
        cabextract: '0a7bd124a4c03a30329bd9ff06f71df7',
      },
      {
        name: 'medium2.bin',
        error: 'UNSUPPORTED',
        why: 'multi-cabinet set (cabextract joins the set from the files beside it)',
        cabextract: 'b4b0a02ad6a1170d4b3db18cec616fcc',
      },
    ],
  },
  {
    path: 'kyz_libmspack/cabextract/test/cabs/split-3.cab',
    files: [
      {
        name: 'medium2.bin',
        error: 'UNSUPPORTED',
        why: 'multi-cabinet set (cabextract joins the set from the files beside it)',
        cabextract: 'b4b0a02ad6a1170d4b3db18cec616fcc',
      },
    ],
  },
  {
    path: 'kyz_libmspack/cabextract/test/cabs/split-4.cab',
    files: [
      {
        name: 'medium2.bin',
        error: 'UNSUPPORTED',
        why: 'multi-cabinet set (cabextract joins the set from the files beside it)',
        cabextract: 'b4b0a02ad6a1170d4b3db18cec616fcc',
      },
      {
        name: 'small3.bin',
        error: 'UNSUPPORTED',
        why: 'multi-cabinet set (cabextract joins the set from the files beside it)',
        cabextract: 'bbaecacfeba976165e9d77bbecb0cbde',
      },
      {
        name: 'medium3.bin',
        error: 'UNSUPPORTED',
        why: 'multi-cabinet set (cabextract joins the set from the files beside it)',
        cabextract: 'b98fe17e8afbcf05aefc5b2c4badbc28',
      },
    ],
  },
  {
    path: 'kyz_libmspack/cabextract/test/cabs/split-5.cab',
    files: [
      {
        name: 'small3.bin',
        error: 'UNSUPPORTED',
        why: 'multi-cabinet set (cabextract joins the set from the files beside it)',
        cabextract: 'bbaecacfeba976165e9d77bbecb0cbde',
      },
      {
        name: 'medium3.bin',
        error: 'UNSUPPORTED',
        why: 'multi-cabinet set (cabextract joins the set from the files beside it)',
        cabextract: 'b98fe17e8afbcf05aefc5b2c4badbc28',
      },
    ],
  },
  {
    path: 'kyz_libmspack/cabextract/test/cabs/utf8-stresstest.cab',
    files: [
      {
        name: 'κόσμε',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: 'ࠀ',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '𐀀',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '�����',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '������',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '߿',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '￿',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'not listed alone',
      },
      {
        name: '����',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '�����',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '������',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '퟿',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '�',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '􏿿',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '����',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '�',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '�',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '��',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '���',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '����',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '�����',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '������',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '�������',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '������������������������������������������������',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '� � � � � � � � � � � � � � � �',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '� � � � � � � � � � � � � � � � ',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'not listed alone',
      },
      {
        name: '� � � � � � � � ',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'not listed alone',
      },
      {
        name: '� � � � ',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'not listed alone',
      },
      {
        name: '� � ',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'not listed alone',
      },
      {
        name: '�',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '��',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '���',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '����',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '�����',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '�',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '�',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '���',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '����',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '�����',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '�����������������������������',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'not listed alone',
      },
      {
        name: '�',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '�',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '����',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '��',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '���',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '����',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '�����',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '������',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '��',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '���',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '����',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '�����',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '������',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '��',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '���',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '����',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '�����',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '������',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '���',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '���',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '���',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '���',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '���',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '���',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '���',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '������',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '������',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '������',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '������',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '������',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '������',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '������',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '������',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '￾',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'not listed alone',
      },
      {
        name: '￿',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'not listed alone',
      },
      {
        name: '﷐﷑﷒﷓﷔﷕﷖﷗﷘﷙﷚﷛﷜﷝﷞﷟﷠﷡﷢﷣﷤﷥﷦﷧﷨﷩﷪﷫﷬﷭﷮﷯"|',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
      {
        name: '🿾🿿𯿾𯿿𿿾𿿿񏿾񏿿񟿾񟿿񯿾񯿿񿿾񿿿򏿾򏿿',
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        cabextract: 'd41d8cd98f00b204e9800998ecf8427e',
      },
    ],
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/bad_folderindex.cab',
    open: 'BAD_FORMAT',
    cabextract: 'no valid cabinets found',
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/bad_nofiles.cab',
    open: 'BAD_FORMAT',
    cabextract: 'no valid cabinets found',
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/bad_nofolders.cab',
    open: 'BAD_FORMAT',
    cabextract: 'no valid cabinets found',
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/bad_signature.cab',
    open: 'BAD_FORMAT',
    cabextract: 'no valid cabinets found',
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/cve-2010-2800-mszip-infinite-loop.cab',
    files: [
      {
        name: 'file.txt',
        error: 'BAD_FORMAT',
        cabextract: 'failed: error in CAB data format',
      },
    ],
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/cve-2014-9556-qtm-infinite-loop.cab',
    files: [
      {
        name: 'limerick',
        error: 'UNSUPPORTED',
        why: 'Quantum is not implemented',
        cabextract: 'failed: error in CAB data format',
      },
    ],
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/cve-2014-9732-folders-segfault.cab',
    files: [
      {
        name: '1',
        md5: '93b885adfe0da089cdf634904fd59f71',
        cabextract: '93b885adfe0da089cdf634904fd59f71',
      },
      {
        name: '2',
        error: 'BAD_FORMAT',
        cabextract: 'failed: decompression error',
      },
      {
        name: '3',
        md5: '93b885adfe0da089cdf634904fd59f71',
        cabextract: '93b885adfe0da089cdf634904fd59f71',
      },
    ],
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/cve-2015-4470-mszip-over-read.cab',
    files: [
      {
        name: 'limerick',
        error: 'BAD_FORMAT',
        cabextract: 'failed: decompression error',
      },
    ],
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/cve-2015-4471-lzx-under-read.cab',
    open: 'BAD_FORMAT',
    cabextract: 'no valid cabinets found',
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/cve-2017-11423-fname-overread.cab',
    open: 'BAD_FORMAT',
    cabextract: 'no valid cabinets found',
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/cve-2018-18584-qtm-max-size-block.cab',
    files: [
      {
        name: 'test1.bin',
        error: 'UNSUPPORTED',
        why: 'Quantum is not implemented',
        cabextract: 'failed: decompression error',
      },
    ],
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/filename-read-violation-1.cab',
    open: 'BAD_FORMAT',
    cabextract: 'no valid cabinets found',
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/filename-read-violation-2.cab',
    files: [
      {
        name: ' \u0014hello.jl\u0006�\u0005',
        error: 'BAD_FORMAT',
        cabextract: 'failed: decompression error',
      },
    ],
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/filename-read-violation-3.cab',
    files: [
      {
        name: '�',
        error: 'BAD_FORMAT',
        cabextract: 'failed: decompression error',
      },
    ],
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/filename-read-violation-4.cab',
    files: [
      {
        name: '���',
        error: 'BAD_FORMAT',
        cabextract: 'failed: decompression error',
      },
    ],
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/hidden-file-bad-folderid.cab',
    open: 'BAD_FORMAT',
    cabextract: 'no valid cabinets found',
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/hidden-file-beyond-eof.cab',
    open: 'BAD_FORMAT',
    cabextract: 'no valid cabinets found',
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/hidden-files.cab',
    open: 'BAD_FORMAT',
    why: 'coffFiles does not follow the CFFOLDERs (libmspack reads on, Microsoft seeks): refused rather than guess',
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/lzx-main-tree-no-lengths.cab',
    files: [
      {
        name: 'file.txt',
        error: 'BAD_FORMAT',
        cabextract: 'failed: decompression error',
      },
    ],
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/lzx-premature-matches.cab',
    files: [
      {
        name: 'file.txt',
        error: 'BAD_FORMAT',
        cabextract: 'failed: decompression error',
      },
    ],
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/mszip_lzx_qtm.cab',
    files: [
      {
        name: 'mszip.txt',
        md5: '940cba86658fbceb582faecd2b5975d1',
        cabextract: '940cba86658fbceb582faecd2b5975d1',
      },
      {
        name: 'lzx.txt',
        md5: '703474293b614e7110b3eb8ac2762b53',
        cabextract: '703474293b614e7110b3eb8ac2762b53',
      },
      {
        name: 'qtm.txt',
        error: 'UNSUPPORTED',
        why: 'Quantum is not implemented',
        cabextract: '98fcfa4962a0f169a3c7fdbcb445cf17',
      },
    ],
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/multi_basic_pt1.cab',
    files: [
      {
        name: 'test1.txt',
        error: 'UNSUPPORTED',
        why: 'multi-cabinet set (cabextract joins the set from the files beside it)',
        cabextract: 'failed: error in CAB data format',
      },
      {
        name: 'test2.txt',
        error: 'UNSUPPORTED',
        why: 'multi-cabinet set (cabextract joins the set from the files beside it)',
        cabextract: 'failed: error in CAB data format',
      },
      {
        name: 'test3.txt',
        error: 'UNSUPPORTED',
        why: 'multi-cabinet set (cabextract joins the set from the files beside it)',
        cabextract: 'failed: error in CAB data format',
      },
    ],
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/multi_basic_pt2.cab',
    files: [
      {
        name: 'test1.txt',
        error: 'UNSUPPORTED',
        why: 'multi-cabinet set (cabextract joins the set from the files beside it)',
        cabextract: 'failed: decompression error',
      },
      {
        name: 'test2.txt',
        error: 'UNSUPPORTED',
        why: 'multi-cabinet set (cabextract joins the set from the files beside it)',
        cabextract: 'failed: decompression error',
      },
      {
        name: 'test3.txt',
        error: 'UNSUPPORTED',
        why: 'multi-cabinet set (cabextract joins the set from the files beside it)',
        cabextract: 'failed: decompression error',
      },
    ],
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/multi_basic_pt3.cab',
    files: [
      {
        name: 'test1.txt',
        error: 'UNSUPPORTED',
        why: 'multi-cabinet set (cabextract joins the set from the files beside it)',
        cabextract: 'failed: decompression error',
      },
      {
        name: 'test2.txt',
        error: 'UNSUPPORTED',
        why: 'multi-cabinet set (cabextract joins the set from the files beside it)',
        cabextract: 'failed: decompression error',
      },
      {
        name: 'test3.txt',
        error: 'UNSUPPORTED',
        why: 'multi-cabinet set (cabextract joins the set from the files beside it)',
        cabextract: 'failed: decompression error',
      },
    ],
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/multi_basic_pt4.cab',
    files: [
      {
        name: 'test1.txt',
        error: 'UNSUPPORTED',
        why: 'multi-cabinet set (cabextract joins the set from the files beside it)',
        cabextract: 'failed: decompression error',
      },
      {
        name: 'test2.txt',
        error: 'UNSUPPORTED',
        why: 'multi-cabinet set (cabextract joins the set from the files beside it)',
        cabextract: 'failed: decompression error',
      },
      {
        name: 'test3.txt',
        error: 'UNSUPPORTED',
        why: 'multi-cabinet set (cabextract joins the set from the files beside it)',
        cabextract: 'failed: decompression error',
      },
    ],
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/multi_basic_pt5.cab',
    files: [
      {
        name: 'test1.txt',
        error: 'UNSUPPORTED',
        why: 'multi-cabinet set (cabextract joins the set from the files beside it)',
        cabextract: 'failed: decompression error',
      },
      {
        name: 'test2.txt',
        error: 'UNSUPPORTED',
        why: 'multi-cabinet set (cabextract joins the set from the files beside it)',
        cabextract: 'failed: decompression error',
      },
      {
        name: 'test3.txt',
        error: 'UNSUPPORTED',
        why: 'multi-cabinet set (cabextract joins the set from the files beside it)',
        cabextract: 'failed: decompression error',
      },
    ],
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/normal_255c_filename.cab',
    files: [
      {
        name: 'HelloHelloHelloHelloHelloHelloHelloHelloHelloHelloHelloHelloHelloHelloHelloHelloHelloHelloHelloHelloHelloHelloHelloHelloHelloHelloHelloHelloHelloHelloHelloHelloHelloHelloHelloHelloHelloHelloHelloHelloHelloHelloHelloHelloHelloHelloHelloHelloHelloHello!.txt',
        md5: 'e134ced312b3511d88943d57ccd70c83',
        cabextract: 'e134ced312b3511d88943d57ccd70c83',
      },
    ],
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/normal_2files_1folder.cab',
    files: [
      {
        name: 'hello.c',
        md5: 'c2535936b8908b1f8a28b7724a2c2045',
        cabextract: 'c2535936b8908b1f8a28b7724a2c2045',
      },
      {
        name: 'welcome.c',
        md5: '67c981a019c21f3f4bb8f92efe4d95a1',
        cabextract: '67c981a019c21f3f4bb8f92efe4d95a1',
      },
    ],
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/normal_2files_2folders.cab',
    files: [
      {
        name: 'mszip1.txt',
        md5: '59571918d5be925ad8aec9f5d7369cf5',
        cabextract: '59571918d5be925ad8aec9f5d7369cf5',
      },
      {
        name: 'mszip2.txt',
        md5: 'cb18e329a9effc70aa07a7061844b584',
        cabextract: 'cb18e329a9effc70aa07a7061844b584',
      },
      {
        name: 'lzx1.txt',
        md5: '67c5cd73e661fa667b8de3d8a5f6f3bf',
        cabextract: '67c5cd73e661fa667b8de3d8a5f6f3bf',
      },
      {
        name: 'lzx2.txt',
        md5: '5182c12627058cf1afd4e6ce8f10d635',
        cabextract: '5182c12627058cf1afd4e6ce8f10d635',
      },
    ],
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/partial_nodata.cab',
    files: [
      {
        name: 'hello.c',
        error: 'BAD_FORMAT',
        cabextract: 'not listed alone',
      },
      {
        name: 'welcome.c',
        error: 'BAD_FORMAT',
        cabextract: 'not listed alone',
      },
    ],
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/partial_nofiles.cab',
    open: 'BAD_FORMAT',
    cabextract: 'no valid cabinets found',
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/partial_nofolder.cab',
    open: 'BAD_FORMAT',
    cabextract: 'no valid cabinets found',
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/partial_shortextheader.cab',
    open: 'BAD_FORMAT',
    cabextract: 'no valid cabinets found',
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/partial_shortfile1.cab',
    open: 'BAD_FORMAT',
    cabextract: 'no valid cabinets found',
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/partial_shortfile2.cab',
    open: 'BAD_FORMAT',
    cabextract: 'no valid cabinets found',
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/partial_shortfolder.cab',
    open: 'BAD_FORMAT',
    cabextract: 'no valid cabinets found',
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/partial_shortheader.cab',
    open: 'BAD_FORMAT',
    cabextract: 'no valid cabinets found',
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/partial_str_nofname.cab',
    open: 'BAD_FORMAT',
    cabextract: 'no valid cabinets found',
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/partial_str_noninfo.cab',
    open: 'BAD_FORMAT',
    cabextract: 'no valid cabinets found',
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/partial_str_nonname.cab',
    open: 'BAD_FORMAT',
    cabextract: 'no valid cabinets found',
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/partial_str_nopinfo.cab',
    open: 'BAD_FORMAT',
    cabextract: 'no valid cabinets found',
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/partial_str_nopname.cab',
    open: 'BAD_FORMAT',
    cabextract: 'no valid cabinets found',
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/partial_str_shortfname.cab',
    open: 'BAD_FORMAT',
    cabextract: 'no valid cabinets found',
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/partial_str_shortninfo.cab',
    open: 'BAD_FORMAT',
    cabextract: 'no valid cabinets found',
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/partial_str_shortnname.cab',
    open: 'BAD_FORMAT',
    cabextract: 'no valid cabinets found',
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/partial_str_shortpinfo.cab',
    open: 'BAD_FORMAT',
    cabextract: 'no valid cabinets found',
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/partial_str_shortpname.cab',
    open: 'BAD_FORMAT',
    cabextract: 'no valid cabinets found',
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/reserve_---.cab',
    files: [
      {
        name: 'test1.txt',
        md5: '2debfdcf79f03e4a65a667d21ef9de14',
        cabextract: '2debfdcf79f03e4a65a667d21ef9de14',
      },
      {
        name: 'test2.txt',
        md5: 'd8e8fca2dc0f896fd7cb4cb0031ba249',
        cabextract: 'd8e8fca2dc0f896fd7cb4cb0031ba249',
      },
    ],
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/reserve_--D.cab',
    files: [
      {
        name: 'test1.txt',
        md5: '2debfdcf79f03e4a65a667d21ef9de14',
        cabextract: '2debfdcf79f03e4a65a667d21ef9de14',
      },
      {
        name: 'test2.txt',
        md5: 'd8e8fca2dc0f896fd7cb4cb0031ba249',
        cabextract: 'd8e8fca2dc0f896fd7cb4cb0031ba249',
      },
    ],
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/reserve_-F-.cab',
    files: [
      {
        name: 'test1.txt',
        md5: '2debfdcf79f03e4a65a667d21ef9de14',
        cabextract: '2debfdcf79f03e4a65a667d21ef9de14',
      },
      {
        name: 'test2.txt',
        md5: 'd8e8fca2dc0f896fd7cb4cb0031ba249',
        cabextract: 'd8e8fca2dc0f896fd7cb4cb0031ba249',
      },
    ],
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/reserve_-FD.cab',
    files: [
      {
        name: 'test1.txt',
        md5: '2debfdcf79f03e4a65a667d21ef9de14',
        cabextract: '2debfdcf79f03e4a65a667d21ef9de14',
      },
      {
        name: 'test2.txt',
        md5: 'd8e8fca2dc0f896fd7cb4cb0031ba249',
        cabextract: 'd8e8fca2dc0f896fd7cb4cb0031ba249',
      },
    ],
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/reserve_H--.cab',
    files: [
      {
        name: 'test1.txt',
        md5: '2debfdcf79f03e4a65a667d21ef9de14',
        cabextract: '2debfdcf79f03e4a65a667d21ef9de14',
      },
      {
        name: 'test2.txt',
        md5: 'd8e8fca2dc0f896fd7cb4cb0031ba249',
        cabextract: 'd8e8fca2dc0f896fd7cb4cb0031ba249',
      },
    ],
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/reserve_H-D.cab',
    files: [
      {
        name: 'test1.txt',
        md5: '2debfdcf79f03e4a65a667d21ef9de14',
        cabextract: '2debfdcf79f03e4a65a667d21ef9de14',
      },
      {
        name: 'test2.txt',
        md5: 'd8e8fca2dc0f896fd7cb4cb0031ba249',
        cabextract: 'd8e8fca2dc0f896fd7cb4cb0031ba249',
      },
    ],
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/reserve_HF-.cab',
    files: [
      {
        name: 'test1.txt',
        md5: '2debfdcf79f03e4a65a667d21ef9de14',
        cabextract: '2debfdcf79f03e4a65a667d21ef9de14',
      },
      {
        name: 'test2.txt',
        md5: 'd8e8fca2dc0f896fd7cb4cb0031ba249',
        cabextract: 'd8e8fca2dc0f896fd7cb4cb0031ba249',
      },
    ],
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/reserve_HFD.cab',
    files: [
      {
        name: 'test1.txt',
        md5: '2debfdcf79f03e4a65a667d21ef9de14',
        cabextract: '2debfdcf79f03e4a65a667d21ef9de14',
      },
      {
        name: 'test2.txt',
        md5: 'd8e8fca2dc0f896fd7cb4cb0031ba249',
        cabextract: 'd8e8fca2dc0f896fd7cb4cb0031ba249',
      },
    ],
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/search_basic.cab',
    open: 'BAD_FORMAT',
    why: 'cabextract searches the file for embedded cabinets; openCab wants one at offset 0',
  },
  {
    path: 'kyz_libmspack/libmspack/test/test_files/cabd/search_tricky1.cab',
    open: 'BAD_FORMAT',
    why: 'cabextract searches the file for embedded cabinets; openCab wants one at offset 0',
  },
];
