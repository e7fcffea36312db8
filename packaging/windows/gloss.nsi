; Gloss Windows installer (NSIS 3, built on Linux by packaging/dist.mk):
;   makensis -DVERSION=0.1.0 -DBUILD=1 -DEXE=path\gloss.exe -DICON=path\gloss.ico \
;            -DOUTFILE=path\Gloss-0.1.0-windows-amd64-setup.exe packaging/windows/gloss.nsi
; Per-user: no admin rights, installs to %LOCALAPPDATA%\Programs\Gloss and
; writes only HKCU keys, so analysts on locked-down laptops can install it.

Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma

!ifndef VERSION
  !error "pass -DVERSION=x.y.z (packaging/dist.mk reads it from FyneApp.toml)"
!endif
!ifndef BUILD
  !error "pass -DBUILD=n"
!endif
!ifndef EXE
  !error "pass -DEXE=path to the cross-built gloss.exe"
!endif
!ifndef ICON
  !error "pass -DICON=path to assets/icon/gloss.ico"
!endif
!ifndef OUTFILE
  !error "pass -DOUTFILE=path of the installer to write"
!endif

!define APPNAME "Gloss"
!define APPID "org.glossapp.gloss"
!define PUBLISHER "The Gloss team"
!define PROGID "Gloss.Project"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APPID}"
!define SHCNE_ASSOCCHANGED 0x08000000
!define SHCNF_IDLIST 0

Name "${APPNAME}"
OutFile "${OUTFILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\${APPNAME}"
InstallDirRegKey HKCU "Software\${APPNAME}" "InstallDir"
BrandingText "${APPNAME} ${VERSION}"

; Version resource of the installer itself (Explorer ▸ Properties ▸ Details).
VIProductVersion "${VERSION}.${BUILD}"
VIFileVersion "${VERSION}.${BUILD}"
VIAddVersionKey /LANG=1033 "ProductName" "${APPNAME}"
VIAddVersionKey /LANG=1033 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileVersion" "${VERSION}.${BUILD}"
VIAddVersionKey /LANG=1033 "FileDescription" "${APPNAME} ${VERSION} setup"
VIAddVersionKey /LANG=1033 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=1033 "LegalCopyright" "© 2026 ${PUBLISHER}"

!include "MUI2.nsh"
!include "FileFunc.nsh"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\gloss.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Start ${APPNAME} now"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_LANGUAGE "TradChinese"

Function .onInit
  ; Shortcuts and $SMPROGRAMS go to the current user's profile.
  SetShellVarContext current
FunctionEnd

Function un.onInit
  SetShellVarContext current
FunctionEnd

Section "Gloss" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  File "/oname=gloss.exe" "${EXE}"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${APPNAME}.lnk" "$INSTDIR\gloss.exe" "" "$INSTDIR\gloss.exe" 0 \
    SW_SHOWNORMAL "" "Annotate and compare English and Chinese news sources"

  WriteRegStr HKCU "Software\${APPNAME}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "Software\${APPNAME}" "Version" "${VERSION}"

  ; .gloss files open in Gloss (per-user classes under HKCU\Software\Classes).
  WriteRegStr HKCU "Software\Classes\.gloss" "" "${PROGID}"
  WriteRegStr HKCU "Software\Classes\.gloss" "Content Type" "application/x-gloss"
  WriteRegNone HKCU "Software\Classes\.gloss\OpenWithProgids" "${PROGID}"
  WriteRegStr HKCU "Software\Classes\${PROGID}" "" "Gloss project"
  WriteRegStr HKCU "Software\Classes\${PROGID}\DefaultIcon" "" '"$INSTDIR\gloss.exe",0'
  WriteRegStr HKCU "Software\Classes\${PROGID}\shell\open\command" "" '"$INSTDIR\gloss.exe" "%1"'
  WriteRegStr HKCU "Software\Classes\Applications\gloss.exe" "FriendlyAppName" "${APPNAME}"
  WriteRegStr HKCU "Software\Classes\Applications\gloss.exe\SupportedTypes" ".gloss" ""
  WriteRegStr HKCU "Software\Classes\Applications\gloss.exe\shell\open\command" "" '"$INSTDIR\gloss.exe" "%1"'

  ; Settings ▸ Apps entry, per user.
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTKEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayIcon" '"$INSTDIR\gloss.exe",0'
  WriteRegStr HKCU "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINSTKEY}" "EstimatedSize" "$0"

  ; Tell Explorer the association changed so .gloss icons update at once.
  System::Call 'shell32::SHChangeNotify(i ${SHCNE_ASSOCCHANGED}, i ${SHCNF_IDLIST}, p 0, p 0)'
SectionEnd

Section "Uninstall"
  Delete "$INSTDIR\gloss.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR" ; only if empty: never delete an analyst's files
  Delete "$SMPROGRAMS\${APPNAME}.lnk"

  ; Drop the .gloss association only if it still points at us.
  ReadRegStr $0 HKCU "Software\Classes\.gloss" ""
  StrCmp $0 "${PROGID}" 0 +2
    DeleteRegValue HKCU "Software\Classes\.gloss" ""
  DeleteRegValue HKCU "Software\Classes\.gloss\OpenWithProgids" "${PROGID}"
  DeleteRegKey /ifempty HKCU "Software\Classes\.gloss\OpenWithProgids"
  DeleteRegValue HKCU "Software\Classes\.gloss" "Content Type"
  DeleteRegKey /ifempty HKCU "Software\Classes\.gloss"
  DeleteRegKey HKCU "Software\Classes\${PROGID}"
  DeleteRegKey HKCU "Software\Classes\Applications\gloss.exe"
  DeleteRegKey HKCU "${UNINSTKEY}"
  DeleteRegKey HKCU "Software\${APPNAME}"

  System::Call 'shell32::SHChangeNotify(i ${SHCNE_ASSOCCHANGED}, i ${SHCNF_IDLIST}, p 0, p 0)'
SectionEnd
