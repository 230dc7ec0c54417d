// MS-FSCC 2.4 (file) and 2.5 (file system) information class numbers, with the spec's names. Used as
// FileInformationClass in QUERY_DIRECTORY and FileInfoClass in QUERY_INFO / SET_INFO (MS-SMB2 2.2.33, 2.2.37, 2.2.39).

/** MS-FSCC 2.4: file information classes. */
export const FileDirectoryInformation = 1;
export const FileFullDirectoryInformation = 2;
export const FileBothDirectoryInformation = 3;
export const FileBasicInformation = 4;
export const FileStandardInformation = 5;
export const FileInternalInformation = 6;
export const FileEaInformation = 7;
export const FileAccessInformation = 8;
export const FileNameInformation = 9;
export const FileRenameInformation = 10;
export const FileLinkInformation = 11;
export const FileNamesInformation = 12;
export const FileDispositionInformation = 13;
export const FilePositionInformation = 14;
export const FileFullEaInformation = 15;
export const FileModeInformation = 16;
export const FileAlignmentInformation = 17;
export const FileAllInformation = 18;
export const FileAllocationInformation = 19;
export const FileEndOfFileInformation = 20;
export const FileAlternateNameInformation = 21;
export const FileStreamInformation = 22;
export const FileCompressionInformation = 28;
export const FileNetworkOpenInformation = 34;
export const FileAttributeTagInformation = 35;
export const FileIdBothDirectoryInformation = 37;
export const FileIdFullDirectoryInformation = 38;

/** MS-FSCC 2.5: file system information classes. */
export const FileFsVolumeInformation = 1;
export const FileFsSizeInformation = 3;
export const FileFsDeviceInformation = 4;
export const FileFsAttributeInformation = 5;
export const FileFsFullSizeInformation = 7;
export const FileFsSectorSizeInformation = 11;
